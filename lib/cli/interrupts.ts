// Ctrl-C, SIGTERM and SIGHUP (a closed terminal) stop a command's work through one AbortSignal,
// the same way for every command: locks are released, partial downloads kept, a VM powered off;
// a second signal leaves at once.
import { ExitCode, KubenetError } from '../errors.js';

export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>, onSignal?: (signal: NodeJS.Signals) => void): Promise<T> {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted); // the second: leave now
    onSignal?.(signal);
    controller.abort(new KubenetError('interrupted', { code: ExitCode.interrupted }));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, stop);
  try {
    return await work(controller.signal);
  } finally {
    for (const s of signals) process.off(s, stop);
  }
}
