// Whether a pid names a live process here, and signalling one by its pid. Pid files and lock
// files outlive their processes; this is the one test every place that reads one uses.

// EPERM: alive, another user's (a QEMU under sudo). A zombie still counts as alive here: who
// needs to tell (locks) reads its state from /proc (lock/lock-owner.ts, processState).
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Sends `signal`; false when the process is gone, or not ours to signal (a QEMU under sudo).
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(pid, signal);
  } catch {
    return false;
  }
}
