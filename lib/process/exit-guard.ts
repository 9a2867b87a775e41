// A child kubenet must not leave behind: a VM's QEMU while it runs, a step's background command.
// A signal to stop is the command's to handle (runner/stop-signals.ts aborts the run, and a VM is
// powered off in order; a second signal exits at once). If kubenet exits anyway — process.exit(),
// that second signal, an uncaught error — this 'exit' hook sends each guarded child SIGTERM, which
// QEMU handles cleanly (disks flushed). The hook exists only while a child is guarded.
import { signalPid } from './process-alive.js';

const guarded = new Map<number, number>(); // pid → how many guard it

function onExit(): void {
  for (const pid of guarded.keys()) signalPid(pid, 'SIGTERM');
}

// Guards a running child; returns the function that lets it go (once).
export function endWithKubenet(pid: number): () => void {
  if (guarded.size === 0) process.on('exit', onExit);
  guarded.set(pid, (guarded.get(pid) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const left = guarded.get(pid)! - 1;
    if (left > 0) return void guarded.set(pid, left);
    guarded.delete(pid);
    if (guarded.size === 0) process.off('exit', onExit);
  };
}
