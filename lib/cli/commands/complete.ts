// `kubenet __complete tasks` (hidden): the words the completion scripts offer for run, explain,
// reset and prefetch, the user's own tasks included.
import { taskWords } from '../../completion/task-words.js';
import { ExitCode } from '../../errors.js';
import type { CommandInput } from '../command-input.js';

export async function complete({ line, graph }: CommandInput): Promise<number> {
  if (line.words[0] !== 'tasks') return ExitCode.usage;
  const tasks = await graph.all();
  process.stdout.write(`${taskWords(tasks, await graph.downloads(tasks)).join('\n')}\n`);
  return ExitCode.ok;
}
