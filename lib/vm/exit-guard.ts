// While a VM runs, kubenet must not die and leave QEMU behind. A signal to stop is the command's
// to handle (runner/stop-signals.ts aborts the run, and the VM is powered off in order; a second
// signal exits at once). If kubenet exits anyway — process.exit(), that second signal, an uncaught
// error — this 'exit' hook sends QEMU SIGTERM, which QEMU handles cleanly (disks flushed). The
// hook exists only while a VM runs.
const guarded = new Set<number>();

function onExit(): void {
  for (const pid of guarded) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

// Registers a running QEMU; returns the function that unregisters it.
export function guardQemu(pid: number): () => void {
  if (guarded.size === 0) process.on('exit', onExit);
  guarded.add(pid);
  return () => {
    if (!guarded.delete(pid) || guarded.size > 0) return;
    process.off('exit', onExit);
  };
}
