// While a VM runs, kubenet must not die and leave QEMU behind. SIGINT, SIGTERM and SIGHUP start
// the orderly stop (the same as the runner's abort signal); a second one tells QEMU to terminate
// at once (QEMU still exits cleanly on SIGTERM). If kubenet exits anyway — process.exit(), an
// uncaught error — the 'exit' hook sends QEMU SIGTERM. Hooks exist only while a VM runs.
type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const signals: Signal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface Guarded {
  pid: number;
  stop(signal: Signal): void;
  signalled: boolean;
}

const guarded = new Set<Guarded>();

function onSignal(signal: Signal): void {
  for (const vm of guarded) {
    if (vm.signalled) terminate(vm.pid);
    vm.signalled = true;
    vm.stop(signal);
  }
}

function onExit(): void {
  for (const vm of guarded) terminate(vm.pid);
}

function terminate(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

// Registers a running QEMU; returns the function that unregisters it.
export function guardQemu(pid: number, stop: (signal: Signal) => void): () => void {
  const entry: Guarded = { pid, stop, signalled: false };
  if (guarded.size === 0) {
    for (const s of signals) process.on(s, onSignal);
    process.on('exit', onExit);
  }
  guarded.add(entry);
  return () => {
    if (!guarded.delete(entry) || guarded.size > 0) return;
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', onExit);
  };
}
