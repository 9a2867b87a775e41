// Runs one VM from a finished argv: one QEMU per VM (lock + pid file), its serial log followed
// as it grows, an optional wait for a line on the console, and an orderly stop on a match, a
// timeout, Ctrl-C or SIGTERM. A VM that QEMU stops (KVM internal error, guest panic) ends the
// run at once. Whatever happens, QEMU is gone and the pid file, sockets and lock are removed
// when this returns.
import { startVm, type StartVmOptions } from './start-vm.js';
import type { StopOutcome } from './stop-qemu.js';

export { defaultGraceMs } from './stop-qemu.js';

export type RunVmOptions = Omit<StartVmOptions, 'outliveKubenet'>;

export interface RunVmResult {
  exitCode: number | null; // QEMU's exit code; null when it was killed
  matched?: string; // the text `until` matched (or what the readiness saw)
  matchedAfterMs?: number; // from the call to the match
  elapsedMs: number; // from the call until QEMU was gone
  serialTail: string[]; // last serial lines, plain text
  stopped: StopOutcome; // how QEMU ended: 'already-exited' when it exited by itself
}

export async function runVm(options: RunVmOptions): Promise<RunVmResult> {
  const started = performance.now();
  const session = await startVm(options);
  try {
    const first = await session.outcome;
    const stopped = first.kind === 'exited' ? 'already-exited' : await session.stop(first);
    const exit = await session.qemu.exited;
    await session.drain();
    const { matcher } = session;
    const failed =
      first.kind === 'interrupted' ||
      first.kind === 'timeout' ||
      (first.kind === 'halted' && first.halt.state !== 'shutdown');
    // QEMU exited by itself: fine when nothing was awaited and it says so.
    const succeeded =
      first.kind === 'matched' ||
      matcher.matched !== undefined ||
      (!options.until && !options.ready && exit.exitCode === 0);
    if (failed || !succeeded) throw session.failure(first, exit, stopped);
    return {
      exitCode: exit.exitCode,
      matched: matcher.matched ?? (first.kind === 'matched' ? first.text : undefined),
      matchedAfterMs: first.kind === 'matched' ? first.at - started : undefined,
      elapsedMs: performance.now() - started,
      serialTail: matcher.lastLines(),
      stopped,
    };
  } finally {
    await session.close(false);
  }
}
