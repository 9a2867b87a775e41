// Is a pid alive, and is it the QEMU kubenet started? Pid files outlive crashes and pids are
// reused, so "alive" alone is not enough to call a VM running.
import { readFile } from 'node:fs/promises';
import { processAlive } from '../process/pid-state.js';
import { runProcess } from '../process/run-process.js';

// The process's argv, or undefined when it is gone. Linux has /proc; elsewhere (macOS) ps.
export async function commandLine(pid: number): Promise<string[] | undefined> {
  if (!processAlive(pid)) return undefined;
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((arg) => arg !== '');
  } catch {
    const ps = await runProcess('ps', ['-o', 'command=', '-p', String(pid)], { timeoutMs: 10_000 });
    return ps.exitCode === 0 && ps.stdout.trim() !== '' ? ps.stdout.trim().split(/\s+/) : undefined;
  }
}

// A live QEMU (possibly under sudo) whose argv mentions one of `marks` (the VM's serial log or
// QMP socket, which no other VM shares).
export async function isQemuOf(pid: number, marks: string[]): Promise<boolean> {
  const argv = await commandLine(pid);
  if (!argv) return false;
  const joined = argv.join(' ');
  return /qemu-system-/.test(joined) && marks.some((mark) => joined.includes(mark));
}

export async function readPid(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
