// Runs one VM from a finished argv: one QEMU per VM (lock + pid file), its serial log followed
// as it grows, an optional wait for a line on the console, and an orderly stop on a match, a
// timeout, Ctrl-C or SIGTERM. A VM that QEMU stops (KVM internal error, guest panic) ends the
// run at once. Whatever happens, QEMU is gone and the pid file, socket and lock are removed
// when this returns.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import { guardQemu } from './exit-guard.js';
import { findSetpriv } from './find-setpriv.js';
import type { QemuCommand } from './launch-plan.js';
import { SerialMatcher } from './serial-matcher.js';
import { followFile, type SerialFollower } from './serial-follower.js';
import { spawnQemu, type SpawnedQemu } from './spawn-qemu.js';
import { stopQemu, type StopOutcome } from './stop-qemu.js';
import { acquireVmLock } from './vm-lock.js';
import { exitedEarly, halted, interrupted, timedOut, type RunEvidence } from './vm-errors.js';
import { watchRunState, type Halt, type RunStateWatch } from './run-state-watch.js';

export interface RunVmOptions {
  vm: string; // 'live-cd', 'ubuntu0', 'machine'
  command: QemuCommand;
  cwd: string; // images/: the guide's relative file names resolve there
  paths: Paths;
  serialLog: string; // already wired into command.args by the builder
  qmpSocket: string; // already wired into command.args by the builder
  interactive: boolean; // true: QEMU gets the terminal (console or window); false: headless
  until?: RegExp; // wait for the serial console to match, then shut down and resolve
  // With `until`: after the match, keep the VM running until this settles (VMs that wait for
  // each other: each one's guest must still answer the others). The timeout stops at the match.
  release?: Promise<unknown>;
  onMatch?: (text: string) => void; // `until` matched (before the release)
  onStart?: (pid: number) => void; // QEMU has started
  timeoutMs?: number; // give up on `until` (or on QEMU exiting) after this long
  graceMs?: number; // after the ACPI powerdown, wait this long before QMP quit (then SIGKILL)
  signal?: AbortSignal; // the runner's Ctrl-C
  onLine?: (line: string) => void; // serial lines, as plain text, as they arrive
  notice?: (line: string) => void; // one-line notices for the runner to show
  detail?: (line: string) => void; // lines for --verbose
}

export interface RunVmResult {
  exitCode: number | null; // QEMU's exit code; null when it was killed
  matched?: string; // the text `until` matched
  matchedAfterMs?: number; // from the call to the match
  elapsedMs: number; // from the call until QEMU was gone
  serialTail: string[]; // last serial lines, plain text
  stopped: StopOutcome; // how QEMU ended: 'already-exited' when it exited by itself
}

type Outcome =
  | { kind: 'matched'; text: string; at: number }
  | { kind: 'exited' }
  | { kind: 'timeout' }
  | { kind: 'halted'; halt: Halt }
  | { kind: 'interrupted'; reason: string };

export const defaultGraceMs = 10_000;

export async function runVm(options: RunVmOptions): Promise<RunVmResult> {
  const started = performance.now();
  const { vm, paths, command, until } = options;
  const pidFile = paths.vmFile(vm, 'pid');
  const evidence = (matcher: SerialMatcher, qemu?: SpawnedQemu): RunEvidence => ({
    vm, exe: command.exe, cwd: options.cwd, until, serialLog: options.serialLog,
    serialTail: matcher.lastLines(), qemuOutput: qemu?.output() ?? '',
  });
  if (options.signal?.aborted) {
    throw new KubenetError(`interrupted: ${vm} was not started`, { code: ExitCode.interrupted });
  }

  await mkdir(paths.vmDir(vm), { recursive: true });
  const lock = await acquireVmLock(paths, vm, [options.serialLog, options.qmpSocket]);
  let qemu: SpawnedQemu | undefined;
  let follower: SerialFollower | undefined;
  let watch: RunStateWatch | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unguard: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  try {
    // A new run starts a new log; a leftover socket would stop QEMU from binding its own.
    await Promise.all([options.serialLog, options.qmpSocket, pidFile].map((f) => rm(f, { force: true })));
    let settle!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => (settle = resolve));

    const matcher = new SerialMatcher(until, options.onLine);
    const onMatch = (text: string | undefined) => {
      if (text === undefined) return;
      const at = performance.now();
      options.onMatch?.(text);
      if (!options.release) return settle({ kind: 'matched', text, at });
      clearTimeout(timer); // this VM is done waiting; it runs on until the others are
      void options.release.then(() => settle({ kind: 'matched', text, at }), () => settle({ kind: 'matched', text, at }));
    };
    follower = followFile(options.serialLog, (chunk) => onMatch(matcher.push(chunk)));

    if (command.sudo) {
      options.notice?.(`sudo is needed${command.sudoReason ? ` for ${command.sudoReason}` : ''}: it may ask for your password`);
    }
    qemu = await spawnQemu({
      command, cwd: options.cwd, interactive: options.interactive,
      setpriv: await findSetpriv(), stderrFile: paths.vmFile(vm, 'qemu.stderr'),
    });
    await writeFile(pidFile, `${qemu.pid}\n`);
    options.onStart?.(qemu.pid);
    unguard = guardQemu(qemu.pid, (signal) => settle({ kind: 'interrupted', reason: signal }));
    onAbort = () => settle({ kind: 'interrupted', reason: 'aborted' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    if (options.timeoutMs !== undefined && matcher.matched === undefined) timer = setTimeout(() => settle({ kind: 'timeout' }), options.timeoutMs);
    void qemu.exited.then(() => settle({ kind: 'exited' }));
    watch = watchRunState({ socket: options.qmpSocket, exited: qemu.exited, detail: options.detail });
    void watch.halted.then((halt) => settle({ kind: 'halted', halt }));
    if (until) options.notice?.(`waiting for the serial console to match ${until}`);

    const first = await outcome;
    clearTimeout(timer);
    watch.close(); // QEMU serves one QMP client at a time: stopQemu connects next
    // A stopped VM cannot power off: quit at once.
    const graceMs = first.kind === 'halted' ? 0 : options.graceMs ?? defaultGraceMs;
    const stopped = first.kind === 'exited' ? 'already-exited' : await stopQemu(qemu, { qmpSocket: options.qmpSocket, graceMs });
    const exit = await qemu.exited;
    await follower.stop();
    onMatch(matcher.end()); // a guest may print the marker and power off at once
    const matchedAt = first.kind === 'matched' ? first.at : undefined;
    const result = (): RunVmResult => ({
      exitCode: exit.exitCode,
      matched: matcher.matched,
      matchedAfterMs: matchedAt === undefined ? undefined : matchedAt - started,
      elapsedMs: performance.now() - started,
      serialTail: matcher.lastLines(),
      stopped,
    });

    if (first.kind === 'interrupted') throw interrupted(evidence(matcher, qemu), first.reason, stopped);
    if (first.kind === 'timeout') throw timedOut(evidence(matcher, qemu), options.timeoutMs ?? 0);
    if (first.kind === 'halted' && first.halt.state !== 'shutdown') throw halted(evidence(matcher, qemu), first.halt);
    if (matcher.matched !== undefined) return result();
    // QEMU exited by itself: fine when nothing was awaited and it says so.
    if (!until && exit.exitCode === 0) return result();
    throw exitedEarly(evidence(matcher, qemu), exit.exitCode, exit.signal);
  } finally {
    clearTimeout(timer);
    watch?.close();
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    if (qemu && !qemu.hasExited()) {
      // Only reached when something above threw unexpectedly: never leave QEMU behind.
      qemu.kill('SIGTERM');
      await qemu.exited;
    }
    unguard?.();
    await follower?.stop();
    await Promise.all([pidFile, options.qmpSocket].map((f) => rm(f, { force: true })));
    await lock.release();
  }
}
