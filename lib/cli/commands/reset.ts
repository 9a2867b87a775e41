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
