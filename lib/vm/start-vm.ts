// What a foreground run (run-vm.ts) and a detached one (detach-vm.ts) share: one QEMU per VM (the
// lock), a fresh serial log and sockets, QEMU started with its pid and how it runs recorded, the
// serial console followed, and every way the wait can end folded into one outcome — the console
// matched `until` or the readiness held, QEMU exited, the run-state watch saw the VM halt, the
// timeout, Ctrl-C or SIGTERM.
import { rm } from 'node:fs/promises';
import { ExitCode, KubenetError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ownDir, ownFilesFor, refuseLink } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { guardQemu } from './exit-guard.js';
import { findSetpriv } from './find-setpriv.js';
import type { QemuCommand } from './launch-plan.js';
import type { Readiness, StartedVm } from './readiness.js';
import { writeRunRecord, type VmConsole } from './run-record.js';
import { watchRunState, type Halt, type RunStateWatch } from './run-state-watch.js';
import { followFile, type SerialFollower } from './serial-follower.js';
import { SerialMatcher } from './serial-matcher.js';
import { spawnQemu, type QemuExit, type SpawnedQemu } from './spawn-qemu.js';
import { defaultGraceMs, stopQemu, type StopOutcome } from './stop-qemu.js';
import { exitedEarly, halted, interrupted, timedOut, type RunEvidence } from './vm-errors.js';
import { acquireVmLock } from './vm-lock.js';

export interface StartVmOptions {
  vm: string; // 'live-cd', 'ubuntu0', 'machine'
  command: QemuCommand;
  cwd: string; // images/: the guide's relative file names resolve there
  paths: Paths;
  serialLog: string; // already wired into command.args by the builder
  qmpSocket: string; // already wired into command.args by the builder: this run's own
  controlSocket?: string; // the second QMP socket in command.args (kubenet status and stop)
  consoleSocket?: string; // the serial console's socket in command.args (kubenet console)
  interactive: boolean; // true: QEMU gets the terminal (console or window); false: headless
  console?: VmConsole; // where the console is shown, for the advice a second run gets (default from interactive)
  until?: RegExp; // wait for the serial console to match
  ready?: Readiness; // or for this to hold
  // After the match, keep the VM running until this settles (VMs that wait for each other: each
  // one's guest must still answer the others). The timeout stops at the match.
  release?: Promise<unknown>;
  onMatch?: (text: string) => void; // the wait is over (before the release)
  timeoutMs?: number; // give up on the wait (or on QEMU exiting) after this long
  graceMs?: number; // after the ACPI powerdown, wait this long before QMP quit (then SIGKILL)
  sshPort?: number; // the port forwarded to the guest's ssh, recorded once the VM is ours to start
  outliveKubenet?: boolean; // --detach: QEMU is started to run on after kubenet exits
  record?: { guide: string[]; instanceId?: string }; // kept in run.json: what a second start compares with
  started?: () => void; // QEMU runs and its pid file is written: kubenet ssh and status find it now
  signal?: AbortSignal; // the runner's Ctrl-C
  onLine?: (line: string) => void; // serial lines, as plain text, as they arrive
  notice?: (line: string) => void; // one-line notices for the runner to show
  detail?: (line: string) => void; // lines for --verbose
  progress?: (text: string) => void; // a line the runner keeps up to date (the power-off countdown)
}

export type Outcome =
  | { kind: 'matched'; text: string; at: number }
  | { kind: 'exited' }
  | { kind: 'timeout' }
  | { kind: 'halted'; halt: Halt }
  | { kind: 'interrupted'; reason: string };

export interface VmSession {
  readonly qemu: SpawnedQemu;
  readonly matcher: SerialMatcher;
  readonly outcome: Promise<Outcome>; // the first way the wait ended
  evidence(): RunEvidence;
  // Stops QEMU after `first`: ACPI powerdown, quit, kill (a VM QEMU stopped is quit at once).
  stop(first: Outcome): Promise<StopOutcome>;
  drain(): Promise<void>; // QEMU is gone: read the rest of the serial log
  // The error a run that did not succeed ends with, in QEMU's words and the console's.
  failure(first: Outcome, exit: QemuExit, stopped: StopOutcome): KubenetError;
  // Ends kubenet's part of the run. keepRunning: QEMU runs on with its pid file, sockets and
  // record (detached); else a QEMU still there is killed and they are removed. The lock goes.
  close(keepRunning: boolean): Promise<void>;
}

export async function startVm(options: StartVmOptions): Promise<VmSession> {
  const { vm, paths, command, until } = options;
  if (options.signal?.aborted) {
    throw new KubenetError(`interrupted: ${vm} was not started`, { code: ExitCode.interrupted });
  }
  await ownDir(paths.root, paths.vmDir(vm)); // kubenet's own folder, never a link to one elsewhere
  const lock = await acquireVmLock(paths, vm, [options.serialLog, options.qmpSocket]);
  const pidFile = paths.vmFile(vm, 'pid');
  const runFiles = [pidFile, paths.vmFile(vm, 'run.json'), options.qmpSocket, ...[options.controlSocket, options.consoleSocket].filter((f) => f !== undefined)];
  let settle!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  const ended = new AbortController(); // a readiness still waiting stops when the run ends
  let printed!: (line: string) => void;
  const firstOutput = new Promise<string>((resolve) => (printed = resolve));
  const matcher = new SerialMatcher(until, (line) => {
    if (line.trim() !== '') printed(line.trim());
    options.onLine?.(line);
  });
  let matchedOnce = false;
  const matched = (text: string) => {
    const at = performance.now();
    if (!matchedOnce) options.onMatch?.(text);
    matchedOnce = true;
    if (!options.release) return settle({ kind: 'matched', text, at });
    clearTimeout(timer); // this VM is done waiting; it runs on until the others are
    const done = () => settle({ kind: 'matched', text, at });
    void options.release.then(done, done);
  };
  const onMatch = (text: string | undefined) => {
    if (text !== undefined) matched(text);
  };
  let qemu: SpawnedQemu | undefined;
  let follower: SerialFollower | undefined;
  let watch: RunStateWatch | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unguard: (() => void) | undefined;
  let onAbort: (() => void) | undefined;

  const close = async (keepRunning: boolean) => {
    clearTimeout(timer);
    watch?.close();
    ended.abort();
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    if (qemu && !keepRunning && !qemu.hasExited()) {
      // Only reached when something threw unexpectedly: never leave QEMU behind.
      qemu.kill('SIGTERM');
      await qemu.exited;
    }
    unguard?.();
    await follower?.stop();
    if (keepRunning) await qemu?.letGo();
    else await Promise.all(runFiles.map((f) => rm(f, { force: true })));
    await lock.release();
  };

  try {
    // A new run starts a new log; a leftover socket would stop QEMU from binding its own; a port
    // file from an earlier run would send kubenet ssh elsewhere.
    const sshPortFile = paths.vmFile(vm, 'ssh-port');
    // QEMU opens its log and binds its sockets by name, following a link: one there stops the run
    // before QEMU starts (a stale socket of a killed QEMU is no link, and goes).
    await ownFilesFor(paths.root, [options.serialLog, sshPortFile, pidFile, paths.vmFile(vm, 'run.json')], 'QEMU');
    for (const socket of [options.qmpSocket, ...(options.controlSocket ? [options.controlSocket] : [])]) await refuseLink(socket, 'QMP socket');
    await Promise.all([options.serialLog, sshPortFile, ...runFiles].map((f) => rm(f, { force: true })));
    if (options.sshPort !== undefined) await writeFileAtomic(sshPortFile, `${options.sshPort}\n`, { root: paths.root });
    follower = followFile(options.serialLog, (chunk) => onMatch(matcher.push(chunk)));

    if (command.sudo && process.geteuid?.() !== 0) {
      options.notice?.(`sudo is needed${command.sudoReason ? ` for ${command.sudoReason}` : ''}: it may ask for your password`);
      if (options.outliveKubenet) await askSudoFirst();
    }
    const startedAt = new Date();
    qemu = await spawnQemu({
      command, cwd: options.cwd, interactive: options.interactive,
      setpriv: await findSetpriv(), stderrFile: paths.vmFile(vm, 'qemu.stderr'),
      ...(options.outliveKubenet ? { outliveKubenet: true } : {}),
    });
    const spawned = qemu;
    await writeFileAtomic(pidFile, `${spawned.pid}\n`, { root: paths.root });
    await writeRunRecord(paths, vm, {
      kubenet: process.pid,
      detached: options.outliveKubenet === true,
      console: options.console ?? (options.interactive ? 'terminal' : 'headless'),
      startedAt: startedAt.toISOString(),
      ...options.record,
    });
    unguard = guardQemu(spawned.pid);
    options.started?.();
    // The signal's reason names what stopped the run (SIGINT, SIGTERM, SIGHUP: stop-signals.ts).
    onAbort = () => settle({ kind: 'interrupted', reason: typeof options.signal?.reason === 'string' ? options.signal.reason : 'aborted' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    if (options.timeoutMs !== undefined && !matchedOnce) timer = setTimeout(() => settle({ kind: 'timeout' }), options.timeoutMs);
    void spawned.exited.then(() => settle({ kind: 'exited' }));
    const watching = watchRunState({ socket: options.qmpSocket, exited: spawned.exited, ...(options.detail ? { detail: options.detail } : {}) });
    watch = watching;
    void watching.halted.then((halt) => settle({ kind: 'halted', halt }));
    if (until) options.notice?.(`waiting for the serial console to match ${until}`);
    const ready = options.ready;
    if (ready) {
      options.notice?.(`waiting for ${ready.what}`);
      const running = new Promise<void>((resolve) => {
        void watching.firstState.then((state) => {
          if (state === undefined || state === 'running') resolve();
        });
      });
      const vmNow: StartedVm = { pid: spawned.pid, running, firstOutput, signal: ended.signal };
      void ready.wait(vmNow).then(matched, () => undefined);
    }
  } catch (error) {
    await close(false);
    throw error;
  }

  const running = qemu;
  const evidence = (): RunEvidence => ({
    vm, exe: command.exe, cwd: options.cwd, until, ...(options.ready ? { ready: options.ready.describe?.() ?? options.ready.what } : {}),
    serialLog: options.serialLog, serialTail: matcher.lastLines(), qemuOutput: running.output(),
  });
  return {
    qemu: running,
    matcher,
    outcome,
    evidence,
    async stop(first) {
      clearTimeout(timer);
      watch?.close(); // QEMU serves one QMP client at a time: stopQemu connects next
      const graceMs = first.kind === 'halted' ? 0 : options.graceMs ?? defaultGraceMs; // a stopped VM cannot power off
      const again = first.kind === 'interrupted' ? `; ${first.reason === 'SIGINT' ? 'Ctrl-C' : first.reason} again ends QEMU now` : '';
      if (first.kind === 'interrupted' && graceMs > 0) {
        options.notice?.(`${first.reason}: asked ${vm} to power off (the ACPI power button); QEMU is told to quit if the guest has not within ${Math.round(graceMs / 1000)} s${again}`);
      }
      const onGrace = (leftMs: number) => options.progress?.(`${vm} is powering off: ${Math.ceil(leftMs / 1000)} s left before QEMU is told to quit${again}`);
      return stopQemu(running, { qmpSocket: options.qmpSocket, graceMs, onGrace });
    },
    async drain() {
      await follower?.stop();
      onMatch(matcher.end()); // a guest may print the marker and power off at once
    },
    failure(first, exit, stopped) {
      if (first.kind === 'interrupted') return interrupted(evidence(), first.reason, stopped);
      if (first.kind === 'timeout') return timedOut(evidence(), options.timeoutMs ?? 0);
      if (first.kind === 'halted' && first.halt.state !== 'shutdown') return halted(evidence(), first.halt);
      return exitedEarly(evidence(), exit.exitCode, exit.signal);
    },
    close,
  };
}

// A detached QEMU's sudo has no terminal to ask on: ask now, while kubenet has one.
async function askSudoFirst(): Promise<void> {
  const { execa } = await import('execa');
  const result = await execa('sudo', ['-v'], { stdio: 'inherit', reject: false });
  if (result.exitCode !== 0) {
    throw new KubenetError('sudo did not accept the password: the VM was not started', {
      code: ExitCode.host,
      hint: 'run again and give your password, or use --net user, which needs no sudo',
    });
  }
}
