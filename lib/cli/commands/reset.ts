// `kubenet reset <task>`: the only way a VM's disk or overlay is deleted.
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { ExitCode, KubenetError } from '../../errors.js';
import { forgetRecord } from '../../fingerprint/state.js';
import { isInteractive } from '../../runner/reporter.js';
import { confirm } from '../prompt.js';
import type { CommandInput } from '../main.js';

export async function reset({ graph, ...plan }: CommandInput): Promise<number> {
  const { opts, paths } = plan;
  if (opts.names.length !== 1) throw new KubenetError('reset takes exactly one task', { code: ExitCode.usage, hint: 'e.g. kubenet reset 03-cloud-image' });
  const task = await graph.load(graph.resolve(opts.names[0]!));
  const doomed = (task.precious?.(plan) ?? []).filter((p) => existsSync(p));
  if (doomed.length) {
    // Deleting a disk under a running VM would pull it from under the guest.
    const { vmStatus } = await import('../../vm/index.js');
    for (const vm of ['machine', 'live-cd', 'ubuntu0']) {
      const status = await vmStatus(paths, vm);
      if (status.running && doomed.some((p) => p === paths.vmDir(vm) || p === paths.disk(vm))) {
        throw new KubenetError(`${vm} is running (pid ${status.pid}): not resetting ${task.name}`, { code: ExitCode.vm, hint: 'shut the VM down first (Ctrl-A X in its console, or poweroff in the guest)' });
      }
    }
  }
  if (doomed.length) {
    process.stdout.write(`kubenet reset ${task.name} deletes:\n${doomed.map((p) => `  ${p}`).join('\n')}\n`);
    if (!opts.yes) {
      if (!isInteractive() || !process.stdin.isTTY) {
        throw new KubenetError(`reset deletes ${doomed.length} file(s) holding a VM's state`, { code: ExitCode.usage, hint: `pass --yes to confirm: kubenet reset ${task.name} --yes` });
      }
      if (!(await confirm('Delete them?'))) {
        process.stdout.write('nothing deleted\n');
        return ExitCode.failure;
      }
    }
    for (const p of doomed) await rm(p, { recursive: true, force: true });
  }
  await forgetRecord(paths.taskState(task.name));
  process.stdout.write(`${task.name} reset: the next run starts it afresh\n`);
  return ExitCode.ok;
}
