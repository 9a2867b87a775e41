// Long-lived children (QEMU, the root-free network's daemon, a step's background command): one
// spawn, through execa (loaded here, when the first child starts), one policy. Argv only; started,
// or the error that says why not (ENOENT: not found); `detached`: a session of its own (terminal
// signals reach kubenet only); `endWithKubenet`: sent SIGTERM when kubenet exits, however it exits
// (the guard below; a child in a session of its own is guarded by its owner instead: setpriv's
// parent-death signal, or nothing for one meant to outlive kubenet). kill() does nothing once it
// has exited; stop() is SIGTERM, then SIGKILL after a grace, awaited. What it prints is not kept
// (execa's buffer is off): the caller reads the pipes it asked for, and one it leaves unread is
// drained.
// The guard: a signal to stop is the command's to handle (runner/stop-signals.ts aborts the run,
// and a VM is powered off in order; a second signal exits at once). If kubenet exits anyway —
// process.exit(), that second signal, an uncaught error — an 'exit' hook sends each guarded
// child SIGTERM, which QEMU handles cleanly (disks flushed). The hook exists only while a child
// is guarded. It is kubenet's, not execa's `cleanup`: a QEMU is guarded from when its pid file is
// written until kubenet lets it go (vm/start-vm.ts), detached or not, and execa's guard is fixed at
// spawn and never covers a detached child.
import type { StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Options as ExecaOptions } from 'execa'; // types only: execa itself is imported when a child starts
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
  const { execa } = await import('execa');
  const { stdio, detached = false } = options;
  // Signals are sent by pid (a child under sudo is not ours to signal: no error event), never by
  // execa's kill, so nothing here escalates by itself: stop() does, and stop-qemu.ts for QEMU.
  const subprocess = execa(file, args, {
    reject: false,
    buffer: false,
    cleanup: false,
    forceKillAfterDelay: false,
    detached,
    stdio: stdio as ExecaOptions['stdio'], // node's stdio values, file descriptors included (typed: 3–9)
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let done = false;
  subprocess.once('exit', () => (done = true));
  const ended = subprocess.then((r) => ((done = true), r)); // exited, and its pipes read to the end (or drained)
  const pid = subprocess.pid;
  if (pid === undefined) throw asError((await ended).cause, file);
  const hasExited = () => done;
  const kill = (signal: NodeJS.Signals) => void (done || signalPid(pid, signal));
  const exited = ended.then((r): ChildExit => ({ exitCode: r.exitCode ?? null, signal: r.signal }));
  if (options.endWithKubenet) void exited.then(endWithKubenet(pid));
  return {
    pid,
    stdout: subprocess.stdout,
    stderr: subprocess.stderr,
    exited,
    kill,
    hasExited,
    async stop(graceMs) {
      kill('SIGTERM');
      const force = setTimeout(() => kill('SIGKILL'), graceMs);
      return exited.finally(() => clearTimeout(force));
    },
    unref: () => subprocess.unref(),
  };
}

const asError = (cause: unknown, file: string): Error =>
  cause instanceof Error ? cause : new Error(`spawn ${file} failed`);

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
