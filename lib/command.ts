// A process to run: always an argv array, never a shell string. The one command type: what task
// files write, what --dry-run prints, what kubenet runs (a QEMU boot included).
export interface Command {
  exe: string;
  args: string[];
  sudo?: boolean; // run as root (the guide's `sudo qemu-system-…` for macOS vmnet)
  sudoReason?: string; // printed before sudo may ask for a password
  input?: string; // its standard input (the guide's `cat <<EOF | sudo tee FILE`)
  pipe?: Command; // the next command of a pipeline, reading this one's output (the guide's `cfssl … | cfssljson …`)
}

// An argv as a task file writes it: a leading `sudo` becomes the sudo flag.
export function commandOf(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new TypeError('an empty command');
  if (first !== 'sudo') return { exe: first, args: rest };
  const [exe, ...args] = rest;
  if (exe === undefined) throw new TypeError('sudo without a command');
  return { exe, args, sudo: true };
}

// The argv as written: `sudo` (`sudo -n`: never asking for a password) in front of a root command.
// What runs drops the sudo where kubenet is root already (process/command-argv.ts).
export const argvOfCommand = (command: Command, { noPrompt = false } = {}): string[] => [
  ...(command.sudo ? ['sudo', ...(noPrompt ? ['-n'] : [])] : []),
  command.exe,
  ...command.args,
];

// A pipeline's commands in order: `a | b | c` is [a, b, c], each without its `pipe`.
export function pipelineOf(command: Command): Command[] {
  const { pipe, ...first } = command;
  return [first, ...(pipe ? pipelineOf(pipe) : [])];
}

// `a` followed by `| next`, at the end of a's pipeline.
export const pipeInto = (command: Command, next: Command): Command => ({
  ...command,
  pipe: command.pipe ? pipeInto(command.pipe, next) : next,
});
