// A task file's command (one stage of a pipeline) runs through zx, as the task files' `$` promises:
// `$\`${argv}\`` hands zx the argv as one array value, and zx quotes each word for the shell it
// runs (bash, `$'…'` quoting), so the program gets exactly these words and nothing in a value is
// read as shell syntax. The exit code is the shell's: 127 for a program it cannot find, 126 for
// one it cannot run (a check takes either as its answer). zx is loaded when the first one runs.
// Bounded as runProcess is — at the timeout, or when the caller's signal aborts, SIGTERM, then
// SIGKILL after a grace, sent by zx to the shell and whatever it started — and never thrown about:
// the same RunResult, which processError() and failureText() read.
import { abortedBeforeStart, type RunOptions, type RunResult } from './run-process.js';

export type CommandRunOptions = Pick<RunOptions, 'timeoutMs' | 'graceMs' | 'signal' | 'cwd' | 'env' | 'input'> & {
  echoStderr?: boolean; // stderr also to kubenet's stderr as it comes (stdout never: it may hold a key)
};

export async function runCommandArgv(argv: readonly string[], options: CommandRunOptions = {}): Promise<RunResult> {
  const { timeoutMs, graceMs = 5000, signal, input, env } = options;
  if (signal?.aborted) return abortedBeforeStart([...argv], timeoutMs);
  const { $ } = await import('zx');
  const run = $({
    nothrow: true,
    quiet: !options.echoStderr,
    verbose: false, // quiet: nothing echoed; else stderr only
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: shellEnv(env ?? process.env), // its whole environment, as zx takes it
    // Its standard input, then closed — empty too (zx would leave stdin open for an empty string).
    ...(input === undefined ? {} : { input: Buffer.from(input) }),
  })`${argv}`;
  const ending = { timedOut: false, aborted: false };
  const kill = (how: NodeJS.Signals) => {
    try {
      run.kill(how).catch(() => run.child?.kill(how)); // zx's kill walks the tree with ps; without ps, the shell
    } catch {} // too late: it has ended
  };
  const unbound = bound(kill, ending, { timeoutMs, graceMs, signal });
  const out = await run;
  unbound();
  const started = run.pid !== undefined; // not: no shell, or no such cwd (zx's exit code is then the errno)
  const cause = started ? undefined : (out.cause ?? new Error(`${argv[0]} could not start`));
  return {
    argv: [...argv],
    exitCode: started ? out.exitCode : null,
    signal: out.signal ?? undefined,
    stdout: out.stdout,
    stderr: out.stderr,
    timedOut: ending.timedOut,
    timeoutMs,
    aborted: ending.aborted,
    notFound: (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT',
    cause,
  };
}

// Debian's bash reads ~/.bashrc for `-c` when its standard input is a socket (as node's pipes are)
// and SHLVL is unset or 0 — as under systemd, cron or a container's first process. A level of 1
// keeps a user's shell set-up out of the task's commands.
function shellEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Number(env.SHLVL) >= 1 ? env : { ...env, SHLVL: '1' };
}

// The timeout and the caller's signal: SIGTERM, then SIGKILL after the grace. Returns the clean-up.
function bound(
  kill: (how: NodeJS.Signals) => void,
  ending: { timedOut: boolean; aborted: boolean },
  { timeoutMs, graceMs, signal }: { timeoutMs?: number | undefined; graceMs: number; signal?: AbortSignal | undefined },
): () => void {
  let force: NodeJS.Timeout | undefined;
  const end = () => {
    kill('SIGTERM');
    force ??= setTimeout(() => kill('SIGKILL'), graceMs);
  };
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((ending.timedOut = true), end()), timeoutMs);
  const onAbort = () => ((ending.aborted = true), end());
  signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    clearTimeout(timer);
    clearTimeout(force);
    signal?.removeEventListener('abort', onAbort);
  };
}
