// The command line, parsed once against the command's own options (node:util: cheap to load, the
// no-op run must start fast). An option the command does not take is an error that says which
// commands take it, or which of its own options was meant. The values are text here: their kinds
// parse them (command-options.ts, settings.ts).
import { parseArgs } from 'node:util';
import { ExitCode, KubenetError } from '../errors.js';
import { suggestions } from '../suggestions.js';
import { allOptions, commandNames, specOf } from './option-specs.js';

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandLine {
  command: string;
  words: string[]; // positionals after the command (task names, a shell, …)
  rest: string[]; // words after `--` (kubenet ssh -- uname -a)
  values: OptionValues;
}

const usage = (message: string, hint: string) => new KubenetError(message, { code: ExitCode.usage, hint });

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? [...argv] : argv.slice(0, dashes);
  const rest = dashes === -1 ? [] : argv.slice(dashes + 1);
  if (own.length === 0 || (own.length === 1 && /^(-h|--help)$/.test(own[0]!)))
    return { command: 'help', words: [], rest, values: {} };
  if (own.length === 1 && own[0] === '--version') return { command: 'version', words: [], rest, values: {} };
  // The command is the first word that is not an option or an option's value; options may come
  // before it (kubenet --arch aarch64 run 03) and are then read as the command's own.
  const all = allOptions();
  const shortValue = new Set(
    Object.values(all).flatMap((o) => (o.type === 'string' && o.short ? [`-${o.short}`] : [])),
  );
  let at = -1;
  for (let i = 0; i < own.length; i++) {
    const word = own[i]!;
    if (!word.startsWith('-')) {
      at = i;
      break;
    }
    const name = word.startsWith('--') ? word.slice(2) : undefined;
    if ((name !== undefined && all[name]?.type === 'string') || shortValue.has(word)) i++;
  }
  if (at === -1) throw usage('a command is missing: kubenet <command> [options]', 'kubenet --help lists the commands');
  const command = own[at]!;
  const spec = specOf(command);
  if (!spec) {
    const near = suggestions(command, commandNames);
    throw usage(
      `unknown command "${command}"${near.length ? `: did you mean ${near.join(' or ')}?` : ''}`,
      'kubenet --help lists the commands',
    );
  }
  const args = [...own.slice(0, at), ...own.slice(at + 1)];
  checkKnown(command, args);
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args, options: options as never, allowPositionals: true, strict: true });
  } catch (error) {
    // Only a missing value gets here (unknown options are caught above); say it plainly.
    const flag = /'(-{1,2}[\w-]+)/.exec((error as Error).message)?.[1] ?? 'an option';
    throw new KubenetError(`${flag} needs a value`, {
      code: ExitCode.usage,
      cause: error,
      hint: `kubenet help ${command}`,
    });
  }
  return { command, words: parsed.positionals, rest, values: parsed.values as OptionValues };
}

// Every -x / --name in the command's part of the line is one it takes.
function checkKnown(command: string, args: string[]): void {
  const spec = specOf(command)!.options;
  const shorts = new Map(Object.entries(spec).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : undefined;
    const known = name !== undefined ? spec[name] : arg.length === 2 ? spec[shorts.get(arg[1]!) ?? ''] : undefined;
    if (known?.type === 'string' && !arg.includes('=')) i++; // its value may start with a dash
    if (known || (name === undefined && [...arg.slice(1)].every((c) => shorts.has(c)))) continue;
    const flag = name === undefined ? arg : `--${name}`;
    const others = commandNames.filter((c) => name !== undefined && name in specOf(c)!.options);
    const near = suggestions(name ?? arg.slice(1), Object.keys(spec)).map((n) => `--${n}`);
    const hint = others.length
      ? `${flag} belongs to ${others.map((c) => `kubenet ${c}`).join(', ')}; ` +
        `kubenet help ${command} lists what ${command} takes`
      : near.length
        ? `did you mean ${near.join(' or ')}? (kubenet help ${command})`
        : `kubenet help ${command} lists its options`;
    throw usage(`kubenet ${command} does not take ${flag}`, hint);
  }
}
