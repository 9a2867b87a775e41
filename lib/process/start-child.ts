// Long-lived children (QEMU, the root-free network's daemon, a step's background command): one
// spawn, one policy. Argv only; started, or the error that says why not (ENOENT: not found);
// `detached`: a session of its own (terminal signals reach kubenet only); `endWithKubenet`: sent
// SIGTERM when kubenet exits, however it exits (a child in a session of its own is guarded by
// its owner instead: setpriv's parent-death signal, or nothing for one meant to outlive kubenet).
// kill() does nothing once it has exited; stop() is SIGTERM, then SIGKILL after a grace, awaited.
import { spawn, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';

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
  readonly exited: Promise<ChildExit>;
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
  stop(graceMs: number): Promise<ChildExit>;
  unref(): void; // it no longer keeps kubenet running
}

const ending = new Set<Child>();
const endAll = () => {
  for (const child of ending) child.kill('SIGTERM');
};

export async function startChild(file: string, args: readonly string[], options: ChildOptions): Promise<Child> {
  const { stdio, detached = false, endWithKubenet = false } = options;
  const spawned = spawn(file, args, { ...(options.cwd ? { cwd: options.cwd } : {}), stdio, detached });
  let done = false;
  const exited = new Promise<ChildExit & { error?: Error }>((resolve) => {
    spawned.once('error', (error) => {
      if (spawned.pid !== undefined) return; // a failed kill: the exit still comes
      done = true;
      resolve({ exitCode: null, signal: undefined, error });
    });
    spawned.once('exit', () => (done = true)); // no signal is sent to its pid after this
    spawned.once('close', (exitCode, signal) => {
      done = true;
      resolve({ exitCode, signal: signal ?? undefined }); // and what it printed is read to the end
    });
  });
  const pid = spawned.pid;
  if (pid === undefined) throw (await exited).error ?? new Error(`spawn ${file} failed`);
  const child: Child = {
    pid,
    stdout: spawned.stdout,
    stderr: spawned.stderr,
    exited: exited.then(({ exitCode, signal }) => ({ exitCode, signal })),
    hasExited: () => done,
    kill(signal) {
      if (done) return;
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    },
    async stop(graceMs) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await child.exited;
      } finally {
        clearTimeout(force);
      }
    },
    unref: () => spawned.unref(),
  };
  if (endWithKubenet) {
    if (ending.size === 0) process.on('exit', endAll);
    ending.add(child);
    void child.exited.then(() => {
      if (ending.delete(child) && ending.size === 0) process.off('exit', endAll);
    });
  }
  return child;
}
