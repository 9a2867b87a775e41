// `kubenet stop VM`: powers off a VM this process did not start — detached, or run by a kubenet
// in another terminal — the way stop-qemu.ts does for its own (ACPI, `graceMs`, QMP quit, 5 s,
// SIGTERM without QMP, SIGKILL last), over the VM's control socket, which no running kubenet holds.
// Every wait is bounded: 2 s for the run state, then grace + 2 s (QMP connect) + 5 s (quit) + 5 s
// (SIGKILL). Then the pid file, sockets and run record go, and a stale lock with them.
import { removeOwn } from '../fs/no-follow.js';
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import { readPid } from './process-probe.js';
import { qemuByPid } from './qemu-by-pid.js';
import { queryRunState } from './query-run-state.js';
import { haltStates } from './run-state-watch.js';
import { defaultGraceMs, stopQemu, type StopOutcome } from './stop-qemu.js';
import { vmStatus } from './vm-status.js';
import { acquireVmLock, vmMarks } from './vm-lock.js';

export interface StopVmOptions {
  graceMs?: number; // after the ACPI request, before QMP quit
  quitMs?: number; // after quit (or SIGTERM), before SIGKILL
  killMs?: number; // after SIGKILL, before giving up
}

export interface StoppedVm {
  vm: string;
  ended: StopOutcome | 'not-running';
  pid?: number; // the QEMU that was stopped, or the one a stale pid file named
  graceMs: number; // what the guest was given (0 for a VM QEMU had stopped)
  runState?: string; // what QEMU reported before the stop
  afterMs: number;
  tidied: boolean; // its pid file and sockets were removed here
}

const answerMs = 2000; // query-status; stopQemu's own QMP connect is bounded the same

export async function stopVm(
  paths: Paths,
  vm: string,
  { graceMs = defaultGraceMs, quitMs = 5000, killMs = 5000 }: StopVmOptions = {},
): Promise<StoppedVm> {
  const started = performance.now();
  const status = await vmStatus(paths, vm);
  if (!status.running || status.pid === undefined) {
    const stale = await readPid(paths.vmFile(vm, 'pid'));
    const tidied = stale !== undefined && (await tidy(paths, vm, stale));
    return {
      vm,
      ended: 'not-running',
      ...(stale === undefined ? {} : { pid: stale }),
      graceMs: 0,
      afterMs: performance.now() - started,
      tidied,
    };
  }
  const pid = status.pid;
  const socket = paths.vmFile(vm, 'control.sock');
  const answer = await queryRunState(socket, answerMs);
  const runState = 'state' in answer ? answer.state : undefined;
  // A VM QEMU stopped (a panic, a KVM error, paused) cannot power off: quit at once.
  const grace = runState !== undefined && ([...haltStates, 'paused'] as string[]).includes(runState) ? 0 : graceMs;
  const giveUp = new AbortController();
  const qemu = qemuByPid(pid, vmMarks(paths, vm), giveUp.signal);
  const boundMs = grace + answerMs + quitMs + killMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ended = await Promise.race([
      stopQemu(qemu, { qmpSocket: socket, graceMs: grace, quitMs }),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), boundMs))),
    ]);
    if (ended === undefined) {
      throw new KubenetError(
        `${vm}: QEMU (pid ${pid}) is still there ${Math.round(boundMs / 1000)} s later, after SIGKILL`,
        {
          code: ExitCode.vm,
          hint:
            `it may run as root (sudo, for vmnet), whose socket and process are not yours: sudo kill ${pid} ` +
            `(QEMU ends cleanly on SIGTERM); or it is stuck in the kernel (ps -o stat= -p ${pid} says D)`,
        },
      );
    }
    const tidied = await tidy(paths, vm, pid);
    return {
      vm,
      ended,
      pid,
      graceMs: grace,
      ...(runState === undefined ? {} : { runState }),
      afterMs: performance.now() - started,
      tidied,
    };
  } finally {
    clearTimeout(timer);
    giveUp.abort();
  }
}

// The VM's run files, while its pid file still names `pid`, taken under the VM's lock: a kubenet
// that runs it in the foreground (it holds the lock and tidies up itself) or a run that started
// anew meanwhile is left alone. A lock whose kubenet is gone is taken over, and so goes too.
async function tidy(paths: Paths, vm: string, pid: number): Promise<boolean> {
  const lock = await acquireVmLock(paths, vm).catch(() => undefined);
  if (!lock) return false;
  try {
    if ((await readPid(paths.vmFile(vm, 'pid'))) !== pid) return false;
    await Promise.all(
      (['pid', 'run.json', 'qmp.sock', 'control.sock', 'console.sock'] as const).map((file) =>
        removeOwn(paths.root, paths.vmFile(vm, file)),
      ),
    );
    return true;
  } finally {
    await lock.release();
  }
}
