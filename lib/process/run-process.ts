// Short commands run to completion, through execa (loaded when the first one runs: a no-op run
// starts none): argv only (never a shell), bounded — at the timeout, or when the caller's signal
// aborts, SIGTERM, then SIGKILL after a grace — and never thrown about: the result says how it
// ended (not found, exit code, timed out, interrupted, killed by a signal), and processError()
// turns a failure into the one typed error with that real cause. A child at the terminal (sudo -v,
// ssh, tmux attach) runs here too, stdio inherited, its user the bound: the terminal's Ctrl-C
// reaches it as it reaches kubenet (one foreground process group).
// How a Command runs is decided here too: its argv, with sudo in front only where it is needed —
// never when kubenet is root already (sudo would add nothing, and may not be installed) — and
// `sudo -n` where nothing could answer a password prompt (a check, a detached QEMU).
import type { Options as ExecaOptions } from 'execa'; // types only: execa itself is imported when a command runs
import { argvOfCommand, type Command } from '../command.js';
import { ExitCode, KubenetError, type ExitCodeFamily } from '../errors.js';

type Stdio = 'pipe' | 'ignore' | 'inherit';

export interface RunOptions {
  timeoutMs?: number; // the bound; none only for a child at the terminal, which its user ends
  graceMs?: number; // after the timeout's (or the signal's) SIGTERM, SIGKILL; default 5 s
  signal?: AbortSignal; // the run's Ctrl-C: ends the command as the timeout does
  cwd?: string;
  env?: NodeJS.ProcessEnv; // its whole environment (default: kubenet's)
  input?: string; // its standard input, then closed
  stdin?: Stdio; // without input; default ignore ('pipe': open, never written to)
  stdout?: Stdio | number; // default pipe (kept in the result); a number: a file descriptor
  stderr?: Stdio; // default pipe
  echoStderr?: boolean; // stderr also to kubenet's stderr as it comes
  unref?: boolean; // does not keep kubenet running beyond its bound (with no pipes: stdout, stderr not 'pipe')
}

export interface RunResult {
  argv: string[]; // what ran, for messages
  exitCode: number | null; // null: it did not exit by itself
  signal: NodeJS.Signals | undefined;
  stdout: string; // as printed (final newline kept)
  stderr: string;
  timedOut: boolean;
  timeoutMs: number | undefined;
  aborted: boolean; // the caller's signal ended it (or it never started for one)
  notFound: boolean; // no such program
  cause: Error | undefined; // why it could not start
}

export const succeeded = (r: RunResult): boolean => r.exitCode === 0;

// The result of a command that never started because the caller's signal had aborted already.
export const abortedBeforeStart = (argv: string[], timeoutMs: number | undefined): RunResult => ({
  argv,
  exitCode: null,
  signal: undefined,
  stdout: '',
  stderr: '',
  timedOut: false,
  timeoutMs,
  aborted: true,
  notFound: false,
  cause: undefined,
});

export async function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { timeoutMs, graceMs = 5000, signal, input, env } = options;
  const argv = [file, ...args];
  if (signal?.aborted) return abortedBeforeStart(argv, timeoutMs);
  const { execa } = await import('execa');
  const stderr = options.stderr ?? 'pipe';
  const subprocess = execa(file, args, {
    reject: false,
    stripFinalNewline: false,
    maxBuffer: Infinity,
    cleanup: false, // bounded by time, not by size
    forceKillAfterDelay: graceMs,
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    ...(signal ? { cancelSignal: signal } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(env ? { env, extendEnv: false } : {}), // the caller's environment as given, as node's spawn takes it
    ...(input === undefined ? { stdin: options.stdin ?? 'ignore' } : { input }),
    stdout: (options.stdout ?? 'pipe') as ExecaOptions['stdout'], // any descriptor, as spawn takes it (typed: 3–9)
    stderr: options.echoStderr && stderr === 'pipe' ? ['pipe', 'inherit'] : stderr,
  });
  if (options.unref) subprocess.unref(); // its bound still holds kubenet: an await on it is never cut short
  const started = subprocess.pid !== undefined;
  const r = await subprocess;
  const cause = started ? undefined : asError(r.cause);
  return {
    argv,
    exitCode: r.exitCode ?? null,
    signal: r.signal,
    stdout: text(r.stdout),
    stderr: text(r.stderr),
    timedOut: r.timedOut,
    timeoutMs,
    aborted: r.isCanceled,
    notFound: !started && r.code === 'ENOENT',
    cause,
  };
}

const text = (output: unknown): string => (typeof output === 'string' ? output : ''); // not piped: nothing kept
const asError = (cause: unknown): Error => (cause instanceof Error ? cause : new Error(String(cause)));

// How a command that did not succeed ended, in words ("exited with 1", "did not finish in 60 s").
export function failureText(r: RunResult): string {
  if (r.notFound) return 'was not found';
  if (r.cause) return `could not start: ${r.cause.message}`;
  if (r.timedOut) return `did not finish in ${(r.timeoutMs ?? 0) / 1000} s`;
  if (r.aborted) return 'was interrupted';
  if (r.exitCode === null) return `was killed by ${r.signal}`;
  return `exited with ${r.exitCode}`;
}

export interface FailureWords {
  what?: string; // the command as the message names it (default: its argv)
  code?: ExitCodeFamily;
  hint?: string;
  tail?: number; // stderr lines shown under the message (default 15)
}

// The error for a command that did not succeed: its real cause, and the end of what it said.
export function processError(r: RunResult, words: FailureWords = {}): KubenetError {
  const { what = r.argv.join(' '), code, hint, tail = 15 } = words;
  const said = r.stderr.trim();
  return new KubenetError(`${what} ${failureText(r)}`, {
    code: code ?? (r.notFound ? ExitCode.host : r.aborted ? ExitCode.interrupted : ExitCode.failure),
    ...(r.cause ? { cause: r.cause } : {}),
    ...(said ? { details: said.split('\n').slice(-tail).join('\n') } : {}),
    ...(hint ? { hint } : r.notFound ? { hint: `install ${r.argv[0]}, or put it on PATH` } : {}),
  });
}

// A command whose failure is the caller's failure: its output, or processError.
export async function runChecked(file: string, args: readonly string[], options: RunOptions & FailureWords = {}) {
  const r = await runProcess(file, args, options);
  if (!succeeded(r)) throw processError(r, options);
  return r;
}

// `sudo -v` at the terminal: sudo asks for the password now, while someone is there to answer, so
// that root commands (or a detached QEMU's `sudo -n`) later need no prompt. Whether it agreed.
export async function askSudoPassword(): Promise<boolean> {
  const r = await runProcess('sudo', ['-v'], { stdin: 'inherit', stdout: 'inherit', stderr: 'inherit' });
  return r.exitCode === 0;
}

export const isRoot = (): boolean => process.geteuid?.() === 0;

export interface ArgvOptions {
  root?: boolean; // kubenet runs as root (default: the effective uid says)
  noPrompt?: boolean; // sudo must not ask for a password: it fails instead
}

export function argvToRun(command: Command, { root = isRoot(), noPrompt = false }: ArgvOptions = {}): string[] {
  return argvOfCommand(root ? { ...command, sudo: false } : command, { noPrompt });
}
