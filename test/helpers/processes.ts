// Is a process still there? For "no QEMU left behind" checks.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0): it is gone for our purposes.
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

// Live processes (not this one) for which `match` holds, given the pid and its argv.
function processesWhere(match: (pid: number, argv: string) => boolean): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!/^\d+$/.test(entry) || pid === process.pid) continue;
    try {
      if (match(pid, readFileSync(`/proc/${entry}/cmdline`, 'utf8')) && alive(pid)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

// QEMU processes running in this folder (kubenet runs QEMU with images/ as its working directory).
export const qemuProcessesIn = (dir: string): number[] =>
  processesWhere(
    (pid, argv) => (argv.split('\0')[0] ?? '').includes('qemu-system') && readlinkSync(`/proc/${pid}/cwd`) === dir,
  );

export const killQemuIn = (dir: string): void => killAll(qemuProcessesIn(dir));

// Processes whose argv mentions `text` (a test's temp folder): what a test that was stopped
// midway may leave, e.g. a kubenet under `script` that a kill of `script` does not reach.
export const processesMentioning = (text: string): number[] => processesWhere((_pid, argv) => argv.includes(text));

export const killProcessesMentioning = (text: string): void => killAll(processesMentioning(text));
