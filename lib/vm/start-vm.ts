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
import { askSudoPassword } from '../process/run-process.js';
import { endWithKubenet } from '../process/start-child.js';
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
import { acquireVmLock, type VmLock } from './vm-lock.js';

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
  const { vm, paths } = options;
  if (options.signal?.aborted) {
    throw new KubenetError(`interrupted: ${vm} was not started`, { code: ExitCode.interrupted });
  }
  await ownDir(paths.root, paths.vmDir(vm)); // kubenet's own folder, never a link to one elsewhere
  const session = new Session(options, await acquireVmLock(paths, vm, [options.serialLog, options.qmpSocket]));
  try {
    await session.prepare();
    await session.spawn();
    session.watch();
  } catch (error) {
    await session.close(false);
    throw error;
  }
  return session;
}

// One start of a VM, in three stages — prepare (its files), spawn (QEMU, recorded), watch (every
// way the wait can end, folded into one outcome) — then what its caller does with the outcome.
class Session implements VmSession {
  readonly matcher: SerialMatcher;
  readonly outcome: Promise<Outcome>;
  private settle!: (outcome: Outcome) => void;
  private readonly firstOutput: Promise<string>; // the first line the console showed that is not blank
  private printed!: (line: string) => void;
  private readonly ended = new AbortController(); // a readiness still waiting stops when the run ends
  private readonly pidFile: string;
  private readonly runFiles: string[]; // what a QEMU that ran leaves: removed unless it runs on
  private matchedOnce = false;
  private spawned: SpawnedQemu | undefined;
  private follower: SerialFollower | undefined;
  private watcher: RunStateWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unguard: (() => void) | undefined;
  private onAbort: (() => void) | undefined;

  constructor(
    private readonly options: StartVmOptions,
    private readonly lock: VmLock,
  ) {
    const { paths, vm } = options;
    this.outcome = new Promise<Outcome>((resolve) => (this.settle = resolve));
    this.firstOutput = new Promise<string>((resolve) => (this.printed = resolve));
    this.matcher = new SerialMatcher(options.until, (line) => {
      if (line.trim() !== '') this.printed(line.trim());
      options.onLine?.(line);
    });
    this.pidFile = paths.vmFile(vm, 'pid');
    const sockets = [options.qmpSocket, options.controlSocket, options.consoleSocket].filter((f) => f !== undefined);
    this.runFiles = [this.pidFile, paths.vmFile(vm, 'run.json'), ...sockets];
  }

  get qemu(): SpawnedQemu {
    if (!this.spawned) throw new Error(`${this.options.vm}: QEMU has not started`);
    return this.spawned;
  }

  // A new run starts a new log; a leftover socket would stop QEMU from binding its own; a port
  // file from an earlier run would send kubenet ssh elsewhere. QEMU opens its log and binds its
  // sockets by name, following a link: one there stops the run before QEMU starts (a stale socket
  // of a killed QEMU is no link, and goes).
  async prepare(): Promise<void> {
    const { paths, vm, serialLog, qmpSocket, controlSocket, sshPort } = this.options;
    const sshPortFile = paths.vmFile(vm, 'ssh-port');
    await ownFilesFor(paths.root, [serialLog, sshPortFile, this.pidFile, paths.vmFile(vm, 'run.json')], 'QEMU');
    for (const socket of [qmpSocket, ...(controlSocket ? [controlSocket] : [])]) await refuseLink(socket, 'QMP socket');
    await Promise.all([serialLog, sshPortFile, ...this.runFiles].map((f) => rm(f, { force: true })));
    if (sshPort !== undefined) await writeFileAtomic(sshPortFile, `${sshPort}\n`, { root: paths.root });
    this.follower = followFile(serialLog, (chunk) => this.matchedBy(this.matcher.push(chunk)));
  }

  // QEMU started, its pid file written and how it runs recorded: kubenet ssh and status find it now.
  async spawn(): Promise<void> {
    const { options } = this;
    const { command, paths, vm } = options;
    if (command.sudo && process.geteuid?.() !== 0) {
      const why = command.sudoReason ? ` for ${command.sudoReason}` : '';
      options.notice?.(`sudo is needed${why}: it may ask for your password`);
      if (options.outliveKubenet) await askSudoFirst();
    }
    const startedAt = new Date();
    const qemu = await spawnQemu({
      command,
      cwd: options.cwd,
      interactive: options.interactive,
      setpriv: await findSetpriv(),
      stderrFile: paths.vmFile(vm, 'qemu.stderr'),
      ...(options.outliveKubenet ? { outliveKubenet: true } : {}),
    });
    this.spawned = qemu;
    await writeFileAtomic(this.pidFile, `${qemu.pid}\n`, { root: paths.root });
    await writeRunRecord(paths, vm, {
      kubenet: process.pid,
      detached: options.outliveKubenet === true,
      console: options.console ?? (options.interactive ? 'terminal' : 'headless'),
      startedAt: startedAt.toISOString(),
      ...options.record,
    });
    this.unguard = endWithKubenet(qemu.pid);
    options.started?.();
  }

  // The first of: Ctrl-C (the signal's reason names it: SIGINT, SIGTERM, SIGHUP — stop-signals.ts),
  // the timeout, QEMU's exit, the VM halted (run-state-watch.ts), the console's match or the
  // readiness holding.
  watch(): void {
    const { options, settle } = this;
    const qemu = this.qemu;
    const { signal } = options;
    const reason = () => (typeof signal?.reason === 'string' ? signal.reason : 'aborted');
    this.onAbort = () => settle({ kind: 'interrupted', reason: reason() });
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
    if (options.timeoutMs !== undefined && !this.matchedOnce) {
      this.timer = setTimeout(() => settle({ kind: 'timeout' }), options.timeoutMs);
    }
    void qemu.exited.then(() => settle({ kind: 'exited' }));
    const detail = options.detail ? { detail: options.detail } : {};
    const watcher = watchRunState({ socket: options.qmpSocket, exited: qemu.exited, ...detail });
    this.watcher = watcher;
    void watcher.halted.then((halt) => settle({ kind: 'halted', halt }));
    if (options.until) options.notice?.(`waiting for the serial console to match ${options.until}`);
    const ready = options.ready;
    if (!ready) return;
    options.notice?.(`waiting for ${ready.what}`);
    const running = new Promise<void>((resolve) => {
      void watcher.firstState.then((state) => {
        if (state === undefined || state === 'running') resolve();
      });
    });
    const vmNow: StartedVm = { pid: qemu.pid, running, firstOutput: this.firstOutput, signal: this.ended.signal };
    void ready.wait(vmNow).then(
      (text) => this.matched(text),
      () => undefined,
    );
  }

  // The wait is over. With a release, the VM runs on until it settles (its timeout no longer counts).
  private matched(text: string): void {
    const { options, settle } = this;
    const at = performance.now();
    if (!this.matchedOnce) options.onMatch?.(text);
    this.matchedOnce = true;
    if (!options.release) return settle({ kind: 'matched', text, at });
    clearTimeout(this.timer); // this VM is done waiting; it runs on until the others are
    const done = () => settle({ kind: 'matched', text, at });
    void options.release.then(done, done);
  }

  private matchedBy(text: string | undefined): void {
    if (text !== undefined) this.matched(text);
  }

  evidence(): RunEvidence {
    const { vm, command, cwd, until, ready, serialLog } = this.options;
    return {
      vm,
      exe: command.exe,
      cwd,
      until,
      ...(ready ? { ready: ready.describe?.() ?? ready.what } : {}),
      serialLog,
      serialTail: this.matcher.lastLines(),
      qemuOutput: this.qemu.output(),
    };
  }

  async stop(first: Outcome): Promise<StopOutcome> {
    const { vm, qmpSocket, notice, progress } = this.options;
    clearTimeout(this.timer);
    this.watcher?.close(); // QEMU serves one QMP client at a time: stopQemu connects next
    // A VM QEMU stopped cannot power off: it is quit at once.
    const graceMs = first.kind === 'halted' ? 0 : (this.options.graceMs ?? defaultGraceMs);
    const signalled = first.kind === 'interrupted';
    const again = signalled ? `; ${first.reason === 'SIGINT' ? 'Ctrl-C' : first.reason} again ends QEMU now` : '';
    if (signalled && graceMs > 0) {
      const quit = `QEMU is told to quit if the guest has not within ${Math.round(graceMs / 1000)} s${again}`;
      notice?.(`${first.reason}: asked ${vm} to power off (the ACPI power button); ${quit}`);
    }
    const onGrace = (leftMs: number) => {
      progress?.(`${vm} is powering off: ${Math.ceil(leftMs / 1000)} s left before QEMU is told to quit${again}`);
    };
    return stopQemu(this.qemu, { qmpSocket, graceMs, onGrace });
  }

  async drain(): Promise<void> {
    await this.follower?.stop();
    this.matchedBy(this.matcher.end()); // a guest may print the marker and power off at once
  }

  failure(first: Outcome, exit: QemuExit, stopped: StopOutcome): KubenetError {
    if (first.kind === 'interrupted') return interrupted(this.evidence(), first.reason, stopped);
    if (first.kind === 'timeout') return timedOut(this.evidence(), this.options.timeoutMs ?? 0);
    if (first.kind === 'halted' && first.halt.state !== 'shutdown') return halted(this.evidence(), first.halt);
    return exitedEarly(this.evidence(), exit.exitCode, exit.signal);
  }

  async close(keepRunning: boolean): Promise<void> {
    const qemu = this.spawned;
    clearTimeout(this.timer);
    this.watcher?.close();
    this.ended.abort();
    if (this.onAbort) this.options.signal?.removeEventListener('abort', this.onAbort);
    if (qemu && !keepRunning && !qemu.hasExited()) {
      // Only reached when something threw unexpectedly: never leave QEMU behind.
      qemu.kill('SIGTERM');
      await qemu.exited;
    }
    this.unguard?.();
    await this.follower?.stop();
    if (keepRunning) await qemu?.letGo();
    else await Promise.all(this.runFiles.map((f) => rm(f, { force: true })));
    await this.lock.release();
  }
}

// A detached QEMU's sudo has no terminal to ask on: ask now, while kubenet has one.
async function askSudoFirst(): Promise<void> {
  if (!(await askSudoPassword())) {
    throw new KubenetError('sudo did not accept the password: the VM was not started', {
      code: ExitCode.host,
      hint: 'run again and give your password, or use --net user, which needs no sudo',
    });
  }
}
