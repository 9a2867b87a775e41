// Bounds for hang scenarios: a test that would hang fails instead, saying what did not end.
import { setTimeout as sleep } from 'node:timers/promises';

// Runs `run` with a signal that aborts after `ms`, and rejects then if it has not settled.
export async function within<T>(ms: number, what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const running = run(controller.signal);
  running.catch(() => undefined); // settles after the bound: nobody listens any more
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what} did not end within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([running, bound]);
  } finally {
    clearTimeout(timer);
  }
}

// Waits until `condition` holds, at most `ms`.
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > end) throw new Error(`${what}: not reached within ${ms} ms`);
    await sleep(20);
  }
}
