// `kubenet help [command]` and `kubenet <command> --help`.
import { ExitCode, KubenetError } from '../../errors.js';
import { suggestions } from '../../suggestions.js';
import type { CommandInput } from '../command-input.js';
import { commandHelp, mainHelp } from '../help.js';
import { commandNames } from '../option-specs.js';

export async function help({ line, graph }: CommandInput): Promise<number> {
  const topic = line.words[0];
  if (topic === undefined) {
    process.stdout.write(`${mainHelp(graph.names)}\n`);
    return ExitCode.ok;
  }
  if (!commandNames.includes(topic)) {
    const near = suggestions(topic, commandNames);
    throw new KubenetError(
      `no help for "${topic}": it is not a command${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
      { code: ExitCode.usage, hint: `the commands: ${commandNames.join(', ')}` },
    );
  }
  process.stdout.write(`${commandHelp(topic)}\n`);
  return ExitCode.ok;
}
