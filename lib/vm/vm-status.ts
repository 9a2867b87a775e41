// Whether a VM runs now, from its pid file: a live QEMU whose argv names this VM's files.
import type { Paths } from '../paths.js';
import { isQemuOf, readPid } from './process-probe.js';
import { vmMarks } from './vm-lock.js';

export async function vmStatus(paths: Paths, vm: string): Promise<{ running: boolean; pid?: number }> {
  const pid = await readPid(paths.vmFile(vm, 'pid'));
  if (pid === undefined || !(await isQemuOf(pid, vmMarks(paths, vm)))) return { running: false };
  return { running: true, pid };
}
