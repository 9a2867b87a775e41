// `kubenet reset <task>`: the only way the disks a task makes, and its VMs' folders, are deleted.
import { existsSync } from 'node:fs';
import { removeOwn } from '../../fs/no-follow.js';
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../../errors.js';
import { forgetRecord } from '../../fingerprint/state.js';
import { isInteractive } from '../../runner/reporter.js';
import { resolveTarget } from '../../runner/resolve-target.js';
import type { CommandInput } from '../command-input.js';
import { confirm } from '../prompt.js';

export async function reset({ line, graph, paths, profile, settings }: CommandInput): Promise<number> {
  if (line.words.length !== 1) throw new KubenetError('reset takes exactly one task', { code: ExitCode.usage, hint: 'e.g. kubenet reset 03-cloud-image' });
  const target = await resolveTarget(graph, line.words[0]!, profile.guestArch);
  if (target.kind !== 'task' || target.step) throw new KubenetError(`reset takes a task, not ${line.words[0]}`, { code: ExitCode.usage, hint: 'e.g. kubenet reset 03-cloud-image (kubenet list shows the tasks)' });
  const { task } = target;
  if (task.reset) {
    // What the task set up outside images/ goes first: it may read the files below (a pid file).
    const { createReporter } = await import('../../runner/reporter.js');
    const { runTaskReset } = await import('../../runner/reset-task.js');
    const { speak } = await import('../cli-name.js');
    const reporter = createReporter({ verbose: settings.verbose, interactive: isInteractive(), speak });
    await runTaskReset({ task, settings, paths, profile, reporter, signal: new AbortController().signal });
  }
  const plan = { settings, paths, arch: profile.guestArch };
  const vms = [...new Set(task.steps.flatMap((s) => (s.vm ? [s.vm] : s.vms ? s.vms(plan).map((m) => m.name) : [])))];
  // A step done for several VMs keeps each one's files in a folder named after it (gateway/).
  const files = [
    ...task.steps.flatMap((s) => (s.makes ?? []).map((f) => join(paths.root, f))),
    ...task.steps.flatMap((s) => (s.vms && s.make ? s.vms(plan).map((m) => join(paths.root, m.name)) : [])),
  ];
  const doomed = [...files, ...vms.map((vm) => paths.vmDir(vm))].filter((p) => existsSync(p));
  if (doomed.length) {
    // Deleting a disk under a running VM would pull it from under the guest.
    const { vmStatus } = await import('../../vm/vm-status.js');
    const { readRunRecord } = await import('../../vm/run-record.js');
    const { stopAdvice } = await import('../../vm/stop-advice.js');
    for (const vm of vms) {
      const status = await vmStatus(paths, vm);
      if (status.running) {
        throw new KubenetError(`${vm} is running (pid ${status.pid}): not resetting ${task.name}`, { code: ExitCode.vm, hint: `shut the VM down first: poweroff in the guest, or ${stopAdvice(vm, await readRunRecord(paths, vm))}` });
      }
    }
    process.stdout.write(`kubenet reset ${task.name} deletes:\n${doomed.map((p) => `  ${p}`).join('\n')}\n`);
    if (line.values.yes !== true) {
      if (!isInteractive() || !process.stdin.isTTY) {
        throw new KubenetError(`reset deletes ${doomed.length} file(s) only a reset may delete (a VM's state, the cluster's CA)`, { code: ExitCode.usage, hint: `pass --yes to confirm: kubenet reset ${task.name} --yes` });
      }
      if (!(await confirm('Delete them?'))) {
        process.stdout.write('nothing deleted\n');
        return ExitCode.failure;
      }
    }
    for (const p of doomed) await removeOwn(paths.root, p, { recursive: true }); // a link in place of a folder above is refused, never deleted through
    const { prunePins } = await import('../../disk/prune-pins.js');
    for (const pin of await prunePins(paths)) process.stdout.write(`  removed ${pin}: no overlay reads it any more\n`);
  }
  await forgetRecord(paths.root, paths.taskState(task.name));
  process.stdout.write(`${task.name} reset: the next run starts it afresh\n`);
  return ExitCode.ok;
}
