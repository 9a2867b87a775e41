// `kubenet delete VM…`: one VM gone — stopped first if it runs, then its disk, seed and state
// (runner/vm-files.ts reads which files are its from the task files) — while the downloads, the
// other VMs and the network stay. Shows what goes, then asks (or --yes); refused without either,
// before anything is stopped or deleted. `kubenet reset` stays the way to undo a whole task.
import { removeOwn } from '../../fs/no-follow.js';
import { ExitCode, KubenetError } from '../../errors.js';
import { forgetRecord } from '../../fingerprint/state.js';
import { isInteractive } from '../../runner/reporter.js';
import type { CommandInput } from '../command-input.js';
import { confirm } from '../../runner/prompt.js';
import { filesOfVm, vmsOfTasks } from '../../runner/vm-files.js';
import { namedVm, unknownVm } from '../../ssh/vm-target.js';
import { runningVm } from '../../vm/already-up.js';
import { stopVm } from '../../vm/stop-vm.js';
import { prunePins } from '../../disk/prune-pins.js';

export async function deleteVms(input: CommandInput<'delete'>): Promise<number> {
  const { line, options, graph, paths, profile, settings } = input;
  if (line.words.length === 0)
    throw new KubenetError('delete needs a VM', {
      code: ExitCode.usage,
      hint: 'e.g. kubenet delete ubuntu0 (kubenet status lists the VMs)',
    });
  const tasks = await graph.all();
  const plan = { settings, paths, arch: profile.guestArch };
  const all = vmsOfTasks(tasks, plan);
  const doomed = [];
  for (const word of line.words) {
    const { vm } = await namedVm(settings, word);
    const files = all.includes(vm) ? filesOfVm(tasks, plan, paths, vm) : undefined;
    if (!files) throw unknownVm(word, all, 'the tasks');
    if (files.files.length === 0)
      throw new KubenetError(`${vm} has nothing to delete: no disk, seed or folder of its is in ${paths.root}`, {
        code: ExitCode.usage,
        hint: 'kubenet status lists the VMs that exist',
      });
    doomed.push(files);
  }
  const running = (await Promise.all(doomed.map(async (d) => ((await runningVm(paths, d.vm)) ? [d.vm] : [])))).flat();
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(
    `kubenet delete ` +
      `${doomed.map((d) => d.vm).join(' ')}${running.length ? ` stops ${running.join(', ')}, then` : ''} deletes:`,
  );
  for (const d of doomed) for (const f of d.files) out(`  ${f}`);
  out('(downloads, the other VMs and the network stay)');
  if (options.yes !== true) {
    if (!isInteractive() || !process.stdin.isTTY) {
      throw new KubenetError(
        `delete removes ` +
          `${doomed.length === 1 ? "a VM's disk and state" : `${doomed.length} VMs' disks and state`}: ` +
          `nothing was done`,
        { code: ExitCode.usage, hint: `pass --yes to confirm: kubenet delete ${line.words.join(' ')} --yes` },
      );
    }
    if (!(await confirm(running.length ? 'Stop and delete?' : 'Delete?'))) {
      out('nothing deleted');
      return ExitCode.failure;
    }
  }
  if (running.length) {
    for (const vm of running) {
      const stopped = await stopVm(paths, vm);
      out(`${vm}: stopped (${stopped.ended})`);
    }
  }
  for (const d of doomed) {
    // a link in place of a folder above is refused, never deleted through
    for (const f of d.files) await removeOwn(paths.root, f, { recursive: true });
    for (const task of d.tasks) await forgetRecord(paths.root, paths.taskState(task));
    out(
      `${d.vm} deleted${d.tasks.length ? `; ${d.tasks.join(', ')} will make ${d.vm}'s files afresh when it runs` : ''}`,
    );
  }
  for (const pin of await prunePins(paths)) out(`  removed ${pin}: no overlay reads it any more`);
  return ExitCode.ok;
}
