// One QEMU per VM: two QEMUs writing one disk image corrupt it. The lock file is created with
// O_EXCL and holds the pid of the kubenet that runs the VM; a lock whose owner is dead is stale
// and taken over. A pid file naming a live QEMU of this VM counts as running too (kubenet was
// killed hard and QEMU outlived it).
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import { isAlive, isQemuOf, readPid } from './process-probe.js';
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
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await readPid(file);
      if (owner !== undefined && isAlive(owner)) {
        const qemu = await readPid(paths.vmFile(vm, 'pid'));
        throw alreadyRunning(vm, qemu !== undefined && isAlive(qemu) ? qemu : owner, await readRunRecord(paths, vm), file);
      }
      await unlink(file).catch(() => undefined); // stale: its owner is gone
      continue;
    }
    const lock = { release: () => releaseLock(file) };
    const qemu = await readPid(paths.vmFile(vm, 'pid'));
    if (qemu !== undefined && (await isQemuOf(qemu, marks))) {
      await lock.release();
      throw alreadyRunning(vm, qemu, await readRunRecord(paths, vm));
    }
    return lock;
  }
  throw new KubenetError(`cannot take the lock for ${vm}: ${file} keeps coming back`, {
    code: ExitCode.locked,
    hint: 'another kubenet is starting this VM at the same moment; wait for it, or remove the lock file if no kubenet runs',
  });
}

async function releaseLock(file: string): Promise<void> {
  // Only our own lock: after a takeover the file may belong to someone else.
  const owner = await readFile(file, 'utf8').catch(() => '');
  if (owner.trim() === String(process.pid)) await unlink(file).catch(() => undefined);
}

// lockFile: the refusal came from a lock whose owner lives (it may be an unrelated process that got its pid).
function alreadyRunning(vm: string, pid: number, record: RunRecord | undefined, lockFile?: string): KubenetError {
  return new KubenetError(`${vm} is already running (pid ${pid}): a second QEMU on the same disk would corrupt it`, {
    code: ExitCode.vm,
    hint: `stop it first: ${stopAdvice(vm, record)}${lockFile ? `; if no such VM runs, remove ${lockFile}` : ''}`,
  });
}
