// A lock of kubenet's held by another process the test controls (a `sleep` it started): the lock
// file names that process as kubenet's own holders do, so a waiter judges it live — until the test
// stops, resumes or kills it.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ownerRecord } from '../../lib/lock/lock-owner.js';
import { processState } from '../../lib/process/pid-state.js';

export async function plantLock(path: string, pid: number, what: string): Promise<void> {
  const start = processState(pid)?.start;
  if (!start) throw new Error(`pid ${pid}: no /proc/${pid}/stat to name it by`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify({ ...ownerRecord(what), pid, processStart: start }));
}
