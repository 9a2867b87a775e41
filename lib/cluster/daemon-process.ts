// A daemon kubenet started (its dnsmasq, the root-free network), found by its pid file under
// images/network/: running, and really started with that file (a pid file outlives its process,
// and pids are reused): one of its argv words ends with `file`.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '../process/pid-state.js';

export function runningDaemon(pidFile: string, file: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!(pid > 0)) return undefined;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith(file)) ? pid : undefined;
  } catch {
    return processAlive(pid) ? pid : undefined; // no /proc (macOS): alive is the best it can tell
  }
}

// Waits, at most `ms`, for a process to be gone; says whether it is.
export async function gone(pid: number, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (!processAlive(pid)) return true;
    if (Date.now() > until) return false;
    await sleep(100);
  }
}
