// A readiness check that is not a line on the serial console: an async probe, polled while the
// VM runs, such as "`kubenet ssh -- true` succeeds" (--until ssh). runVm shuts the VM down once
// it answers, as it does when `until` matches.
import { setTimeout as sleep } from 'node:timers/promises';

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

// Runs the probe until it answers true, then calls onReady once. Returns a function that stops it.
export function pollReady(probe: ReadyProbe, onReady: () => void): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  void (async () => {
    while (!signal.aborted) {
      const ready = await probe.check(signal).catch(() => false);
      if (signal.aborted) return;
      if (ready) return onReady();
      await sleep(probe.intervalMs ?? 2000, undefined, { signal }).catch(() => undefined);
    }
  })();
  return () => controller.abort();
}
