// One QEMU per VM: two QEMUs writing one disk image corrupt it. The VM's lock is the shared lock
// (lib/lock/file-lock.ts) that never waits: while another kubenet runs the VM, a second start is
// refused at once; a lock left by a run that was killed is taken over. A pid file naming a live
// QEMU of this VM counts as running too (kubenet was killed hard and QEMU outlived it).
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { ownDir } from '../fs/no-follow.js';
import { acquireLock, LockBusy } from '../lock/file-lock.js';
import { thisMachine, type LockOwner } from '../lock/lock-owner.js';
import type { Paths } from '../paths.js';
import { processAlive } from '../process/pid-state.js';
import { isQemuOf, readPid } from './process-probe.js';
import { readRunRecord, type RunRecord } from './run-record.js';
import { stopAdvice } from './stop-advice.js';

export interface VmLock {
  release(): Promise<void>;
}

// Argv fragments that only this VM's QEMU carries (its serial log, its QMP socket).
export function vmMarks(paths: Paths, vm: string): string[] {
  return [paths.vmFile(vm, 'serial.log'), paths.vmFile(vm, 'qmp.sock')];
}

export async function acquireVmLock(paths: Paths, vm: string, marks = vmMarks(paths, vm)): Promise<VmLock> {
  const file = paths.lock(`vm-${vm}`);
  await ownDir(paths.root, dirname(file));
  let lock: VmLock;
  try {
    lock = await acquireLock(file, { what: `running ${vm}`, wait: false });
  } catch (error) {
    if (!(error instanceof LockBusy)) throw error;
    throw alreadyRunning(
      vm,
      await runningPid(paths, vm, error.owner),
      await readRunRecord(paths, vm),
      file,
      error.owner,
    );
  }
  const qemu = await readPid(paths.vmFile(vm, 'pid'));
  if (qemu !== undefined && (await isQemuOf(qemu, marks))) {
    await lock.release();
    throw alreadyRunning(vm, qemu, await readRunRecord(paths, vm));
  }
  return lock;
}

// The QEMU's pid when it runs here, else the pid of the kubenet that holds the lock.
async function runningPid(paths: Paths, vm: string, owner: LockOwner | undefined): Promise<number | undefined> {
  if (owner && owner.machine !== thisMachine()) return owner.pid;
  const qemu = await readPid(paths.vmFile(vm, 'pid'));
  return qemu !== undefined && processAlive(qemu) ? qemu : owner?.pid;
}

// lockFile and owner: the refusal came from a lock whose holder lives (here, or on another host;
// a pid that lives may also be an unrelated process that got the holder's pid).
export function alreadyRunning(
  vm: string,
  pid: number | undefined,
  record: RunRecord | undefined,
  lockFile?: string,
  owner?: LockOwner,
): KubenetError {
  const remote = owner && owner.machine !== thisMachine() ? owner.host : undefined;
  const who = pid === undefined ? '' : ` (pid ${pid}${remote ? ` on ${remote}` : ''})`;
  const stop = remote
    ? `stop it on ${remote} first (kubenet stop ${vm} there)`
    : `stop it first: ${stopAdvice(vm, record)}`;
  return new KubenetError(`${vm} is already running${who}: a second QEMU on the same disk would corrupt it`, {
    code: ExitCode.vm,
    hint: `${stop}${lockFile ? `; if no such VM runs, remove ${lockFile}` : ''}`,
  });
}
