// `kubenet run --detach`: starts a VM that outlives kubenet and returns once it is up — by default
// when QEMU runs and its serial console shows a first sign of life, else when `until` matches or
// `ready` holds. Until then it is watched as a foreground run is: a timeout, a QEMU that exits or
// that stops the VM, or Ctrl-C stops it and fails with the same evidence. Once up, kubenet lets go
// of it: QEMU keeps its own session, log, pid file and sockets, and no lock (its pid file is what
// every later command recognises it by).
import { firstSignOfLife } from './readiness.js';
import { startVm, type StartVmOptions } from './start-vm.js';

export type DetachVmOptions = Omit<StartVmOptions, 'outliveKubenet' | 'interactive' | 'console'>;

export interface DetachedVm {
  pid: number;
  readyAfterMs: number; // from the call until it counted as up
  seen: string; // what made it count as up: the text `until` matched, or what the readiness saw
}

export async function detachVm(options: DetachVmOptions): Promise<DetachedVm> {
  const started = performance.now();
  const ready = options.ready ?? (options.until ? undefined : firstSignOfLife);
  const session = await startVm({
    ...options,
    ...(ready ? { ready } : {}),
    interactive: false,
    console: 'headless',
    outliveKubenet: true,
  });
  let up = false;
  try {
    const first = await session.outcome;
    if (first.kind === 'matched') {
      up = true;
      return { pid: session.qemu.pid, readyAfterMs: first.at - started, seen: first.text };
    }
    const stopped = first.kind === 'exited' ? 'already-exited' : await session.stop(first);
    const exit = await session.qemu.exited;
    await session.drain();
    throw session.failure(first, exit, stopped);
  } finally {
    await session.close(up);
  }
}
