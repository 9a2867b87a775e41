// How a command stops when asked: SIGINT (Ctrl-C), SIGTERM and SIGHUP (a closed terminal) abort it
// in order — a running VM is powered off, a download keeps its partial and releases its lock — and
// a second one leaves at once. The one place commands listen for them.
import { ExitCode } from '../errors.js';

const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StopSignals {
  signal: AbortSignal;
  dispose(): void; // stop listening (the command is done)
}

export function onStopSignals(say?: (line: string) => void): StopSignals {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // The second one: leave now (a running QEMU is ended on the way out: process/start-child.ts).
      say?.(`${signal} again: stopping at once`);
      process.exit(ExitCode.interrupted);
    }
    say?.(`${signal}: stopping…`);
    controller.abort(signal); // the reason is the signal's name, as in 'interrupted (SIGTERM)'
  };
  for (const s of stopSignals) process.on(s, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of stopSignals) process.off(s, onSignal);
    },
  };
}
