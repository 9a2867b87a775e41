// Stopping a VM the way a careful user would: ask the guest to power off (ACPI), give it
// `graceMs`, then tell QEMU to quit (it flushes the disks), and only then kill it. Without QMP
// (a root QEMU's socket, or none) SIGTERM takes the place of quit: QEMU handles it cleanly too.
import { QmpClient } from './qmp-client.js';
import type { QemuExit } from './spawn-qemu.js';

export interface Stoppable {
  exited: Promise<QemuExit>;
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
}

export type StopOutcome = 'already-exited' | 'powered-off' | 'quit' | 'terminated' | 'killed';

// How long a guest gets to power off after the ACPI request before QEMU is told to quit.
export const defaultGraceMs = 10_000;

export interface StopOptions {
  qmpSocket: string;
  graceMs: number;
  quitMs?: number; // how long `quit` or SIGTERM may take before SIGKILL
  // The guest was asked to power off: called then and each second of the grace, with what is left
  // of it (a countdown for the runner to show: this wait lasts half a minute under emulation).
  onGrace?: (leftMs: number) => void;
}

const within = (promise: Promise<unknown>, ms: number, tick?: (leftMs: number) => void): Promise<boolean> =>
  new Promise((resolve) => {
    const end = performance.now() + ms;
    const timer = setTimeout(() => done(false), ms);
    const ticker = tick && ms > 0 ? setInterval(() => tick(Math.max(0, end - performance.now())), 1000) : undefined;
    const done = (ok: boolean) => {
      clearTimeout(timer);
      clearInterval(ticker);
      resolve(ok);
    };
    tick?.(ms);
    promise.then(() => done(true));
  });

export async function stopQemu(
  qemu: Stoppable,
  { qmpSocket, graceMs, quitMs = 5000, onGrace }: StopOptions,
): Promise<StopOutcome> {
  if (qemu.hasExited()) return 'already-exited';
  const qmp = await Promise.race([
    QmpClient.connect(qmpSocket, { timeoutMs: 2000 }).catch(() => undefined),
    qemu.exited.then(() => undefined),
  ]);
  try {
    if (qmp) {
      await qmp.execute('system_powerdown').catch(() => undefined);
      if (await within(qemu.exited, graceMs, onGrace)) return 'powered-off';
      await qmp.execute('quit').catch(() => undefined); // QEMU may close the socket before it answers
      if (await within(qemu.exited, quitMs)) return 'quit';
    } else {
      if (qemu.hasExited()) return 'already-exited';
      qemu.kill('SIGTERM');
      if (await within(qemu.exited, quitMs)) return 'terminated';
    }
    qemu.kill('SIGKILL');
    await qemu.exited;
    return 'killed';
  } finally {
    qmp?.close();
  }
}
