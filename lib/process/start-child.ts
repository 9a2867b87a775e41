// Long-lived children (QEMU, the root-free network's daemon, a step's background command): one
// spawn, one policy. Argv only; started, or the error that says why not (ENOENT: not found);
// `detached`: a session of its own (terminal signals reach kubenet only); `endWithKubenet`: sent
// SIGTERM when kubenet exits, however it exits (the guard below; a child in a session of its own is
// guarded by its owner instead: setpriv's parent-death signal, or nothing for one meant to outlive
// kubenet). kill() does nothing once it has exited; stop() is SIGTERM, then SIGKILL after a
// grace, awaited.
// The guard: a signal to stop is the command's to handle (runner/stop-signals.ts aborts the run,
// and a VM is powered off in order; a second signal exits at once). If kubenet exits anyway —
// process.exit(), that second signal, an uncaught error — an 'exit' hook sends each guarded
// child SIGTERM, which QEMU handles cleanly (disks flushed). The hook exists only while a child
// is guarded.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import { signalPid } from './pid-state.js';

export interface ChildOptions {
  cwd?: string;
  stdio: StdioOptions;
  detached?: boolean;
  endWithKubenet?: boolean;
}

export interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | undefined;
}

export interface Child {
  readonly pid: number;
  readonly stdout: Readable | null; // with stdio 'pipe'
  readonly stderr: Readable | null;
  readonly exited: Promise<ChildExit>; // once it exited and what it printed is read to the end
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
  stop(graceMs: number): Promise<ChildExit>;
  unref(): void; // it no longer keeps kubenet running
}

export async function startChild(file: string, args: readonly string[], options: ChildOptions): Promise<Child> {
  const { stdio, detached = false } = options;
  const spawned = spawn(file, args, { ...(options.cwd ? { cwd: options.cwd } : {}), stdio, detached });
  const ending = watchExit(spawned);
  const pid = spawned.pid;
  if (pid === undefined) throw (await ending.exited).error ?? new Error(`spawn ${file} failed`);
  const kill = (signal: NodeJS.Signals) => void (ending.done() || signalPid(pid, signal));
  const exited = ending.exited.then(({ exitCode, signal }) => ({ exitCode, signal }));
  if (options.endWithKubenet) void exited.then(endWithKubenet(pid));
  return {
    pid, stdout: spawned.stdout, stderr: spawned.stderr, exited, kill,
    hasExited: ending.done,
    async stop(graceMs) {
      kill('SIGTERM');
      const force = setTimeout(() => kill('SIGKILL'), graceMs);
      return exited.finally(() => clearTimeout(force));
    },
    unref: () => spawned.unref(),
  };
}

// Its end: exited (no signal is sent to its pid after that), then closed (its output read); or
// never started (the spawn error).
function watchExit(spawned: ChildProcess) {
  let done = false;
  const exited = new Promise<ChildExit & { error?: Error }>((resolve) => {
    spawned.once('error', (error) => {
      if (spawned.pid !== undefined) return; // a failed kill: the exit still comes
      done = true;
      resolve({ exitCode: null, signal: undefined, error });
    });
    spawned.once('exit', () => (done = true));
    spawned.once('close', (exitCode, signal) => {
      done = true;
      resolve({ exitCode, signal: signal ?? undefined });
    });
  });
  return { exited, done: () => done };
}

const guarded = new Map<number, number>(); // pid → how many guard it

function onExit(): void {
  for (const pid of guarded.keys()) signalPid(pid, 'SIGTERM');
}

// Guards a running child; returns the function that lets it go (once).
export function endWithKubenet(pid: number): () => void {
  if (guarded.size === 0) process.on('exit', onExit);
  guarded.set(pid, (guarded.get(pid) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const left = guarded.get(pid)! - 1;
    if (left > 0) return void guarded.set(pid, left);
    guarded.delete(pid);
    if (guarded.size === 0) process.off('exit', onExit);
  };
}
