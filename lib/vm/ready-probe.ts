// A readiness check that is not a line on the serial console: an async probe, polled while the
// VM runs, such as "`kubenet ssh -- true` succeeds" (--until ssh). The run ends (or --detach
// returns) once it answers, as when `until` matches.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readiness } from './readiness.js';

export interface ReadyProbe {
  what: string; // for messages: "waiting for <what>"
  check: (signal: AbortSignal) => Promise<boolean>; // must end soon after signal aborts
  intervalMs?: number; // between a failed check and the next (default 2 s)
  lastFailure?: () => string | undefined; // why the last check failed, for a timeout's message
}

// What the probe waits for, with why it has not answered yet when it knows.
export function describeProbe(probe: ReadyProbe): string {
  const last = probe.lastFailure?.();
  return last ? `${probe.what} (last attempt: ${last})` : probe.what;
}

// The probe as a readiness (readiness.ts): checked every `intervalMs` while the VM runs, until it
// answers true; it stops when the run ends. A timeout's message says why the last check failed.
export function probeReadiness(probe: ReadyProbe): Readiness {
  return {
    what: probe.what,
    describe: () => describeProbe(probe),
    async wait(vm) {
      const { signal } = vm;
      while (!signal.aborted) {
        const ready = await probe.check(signal).catch(() => false);
        if (ready && !signal.aborted) return probe.what;
        await sleep(probe.intervalMs ?? 2000, undefined, { signal }).catch(() => undefined);
      }
      return new Promise<string>(() => undefined); // the run ended: never ready
    },
  };
}
