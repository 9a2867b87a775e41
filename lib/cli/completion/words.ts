// What the shell completes: commands, each command's options, and the values options take — all
// read from the one table of options (cli/option-specs.ts). Task, step and download names are
// not here: the scripts ask `kubenet __complete tasks`, so a user's own tasks complete too, and
// `kubenet __complete vms` for the VMs of the images folder.
import { allOptions, commandNames, specOf } from '../option-specs.js';

export const commandWords: Record<string, string> = Object.fromEntries(
  commandNames.map((c) => [c, specOf(c)!.usage.replace(/^kubenet \S+ ?/, '') || c]),
);

export const optionsOf = (command: string): string[] =>
  Object.entries(specOf(command)?.options ?? {}).flatMap(([name, o]) => [
    `--${name}`,
    ...(o.short ? [`-${o.short}`] : []),
  ]);

// Commands whose words are task, step or download names.
export const taskCommands = ['run', 'explain', 'reset', 'prefetch'];

// Commands whose words are VM names (the folders under images/vm/).
export const vmCommands = ['stop', 'ssh', 'console', 'delete', 'ssh-config'];

// Options followed by a value, and the values their kinds offer ('dirs' and 'files' ask the shell).
export const optionValues: Record<string, readonly string[] | 'dirs' | 'files' | 'tasks' | 'none'> = Object.fromEntries(
  Object.entries(allOptions()).flatMap(([name, o]) => {
    if (o.type !== 'string') return [];
    const values = o.kind.complete ?? 'none';
    return [[`--${name}`, values] as const, ...(o.short ? [[`-${o.short}`, values] as const] : [])];
  }),
);

export const shells = ['bash', 'zsh'] as const;
export type Shell = (typeof shells)[number];

// One word for bash and zsh alike, whatever it holds.
export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

// How a shell answers for an option's value, by the kind of value the option takes.
export interface ValueReplies {
  dirs: string;
  tasks: string;
  files: string;
  none: string;
  list(values: readonly string[]): string;
  end: string; // what ends a case: bash's `return 0`, zsh's `return`
}

// The `case "$prev"` lines of a completion script: each option that takes a value, and the reply.
export function valueCases(replies: ValueReplies): string {
  return Object.entries(optionValues)
    .map(([flag, values]) => {
      const reply = typeof values === 'string' ? replies[values] : replies.list(values);
      return `    ${flag}) ${reply}; ${replies.end} ;;`;
    })
    .join('\n');
}
