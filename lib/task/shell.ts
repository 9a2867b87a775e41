// The `$` task files use: zx's template syntax, kept as data. `$\`qemu-img create …\`` makes a
// command; awaiting it runs it (in images/, through zx), and --dry-run prints it instead. Unlike
// zx, nothing starts before it is awaited, so a command can also be handed to `once` or returned
// from a step's `boot` to be run the way kubenet runs VMs.
import { commandOf, pipeInto, type Command } from '../command.js';
import { argvOf } from './argv.js';

export interface ShellOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunFlags {
  quiet: boolean; // no echo of the command's output with --verbose
  nothrow: boolean; // a non-zero exit is an answer, not an error
  // A read-only look at the host (`ip -j link show kubr0`): runs in --dry-run too, so the run
  // that follows is what --dry-run said; a plan (explain, the golden tests) takes it as failed,
  // i.e. nothing is set up yet, and shows every command. Implies nothrow and quiet.
  check: boolean;
}

export type RunCommand = (command: Command, flags: RunFlags) => Promise<ShellOutput>;

export interface ShellCommand extends PromiseLike<ShellOutput> {
  readonly command: Command;
  quiet(): ShellCommand;
  nothrow(): ShellCommand;
  check(): ShellCommand;
  stdin(text: string): ShellCommand; // what the command reads (the guide's `cat <<EOF | sudo tee FILE`)
  // Runs as root, for this reason: shown, and run only with consent (a VM on a TAP interface).
  asRoot(reason: string): ShellCommand;
  // zx's `.pipe()`: this command's output is `next`'s input (`cfssl gencert … | cfssljson -bare ca`).
  // The output passed along is never printed (it may hold a private key).
  pipe(next: ShellCommand): ShellCommand;
}

export type Shell = (pieces: TemplateStringsArray, ...values: unknown[]) => ShellCommand;

export function createShell(run: RunCommand, resolve?: (value: unknown) => unknown): Shell {
  const make = (command: Command, flags: RunFlags): ShellCommand => {
    let started: Promise<ShellOutput> | undefined;
    return {
      command,
      quiet: () => make(command, { ...flags, quiet: true }),
      nothrow: () => make(command, { ...flags, nothrow: true }),
      check: () => make(command, { ...flags, check: true, quiet: true, nothrow: true }),
      stdin: (text: string) => make({ ...command, input: text }, flags),
      asRoot: (reason: string) => make({ ...command, sudo: true, sudoReason: reason }, flags),
      pipe: (next: ShellCommand) => make(pipeInto(command, next.command), flags),
      // biome-ignore lint/suspicious/noThenProperty: a command is awaited, as zx's are: awaiting it runs it
      then(onFulfilled, onRejected) {
        started ??= run(command, flags);
        return started.then(onFulfilled, onRejected);
      },
    };
  };
  return (pieces, ...values) =>
    make(commandOf(argvOf(pieces, values, resolve as never)), { quiet: false, nothrow: false, check: false });
}
