// Whether a pid names a live process here, and waiting (bounded) for one to be gone. Pid files
// and lock files outlive their processes; this is the one test every place that reads one uses.

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
