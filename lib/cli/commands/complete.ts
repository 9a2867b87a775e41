// `kubenet __complete tasks|vms` (hidden): the words the completion scripts offer for run,
// explain, reset and prefetch, the user's own tasks included; and for stop and ssh, the VMs.
import { taskWords } from '../completion/task-words.js';
import { ExitCode } from '../../errors.js';
import type { CommandInput } from '../command-input.js';
import { vmNames } from '../../vm/vm-report.js';

export async function complete({ line, graph, paths }: CommandInput): Promise<number> {
  if (line.words[0] === 'vms') {
    const vms = await vmNames(paths);
    process.stdout.write(vms.length ? `${vms.join('\n')}\n` : '');
    return ExitCode.ok;
  }
  if (line.words[0] !== 'tasks') return ExitCode.usage;
  const tasks = await graph.all();
  process.stdout.write(`${taskWords(tasks, await graph.downloads(tasks)).join('\n')}\n`);
  return ExitCode.ok;
}
