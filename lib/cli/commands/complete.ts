// `kubenet __complete tasks` (hidden): the task words the completion scripts offer. Reads only
// the task folder's file names, so it is as fast as the CLI can start.
import { taskWords } from '../../completion/task-words.js';
import { ExitCode } from '../../errors.js';
import type { CommandInput } from '../main.js';

export async function complete({ opts, graph }: CommandInput): Promise<number> {
  if (opts.names[0] !== 'tasks') return ExitCode.usage;
  process.stdout.write(`${taskWords(graph.names).join('\n')}\n`);
  return ExitCode.ok;
}
