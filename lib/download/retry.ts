// Retries with exponential backoff for transient failures (connection errors, stalls, 5xx).
// Only failures in a row *without progress* count against the limit: a flaky link that keeps
// delivering bytes is never given up on, a dead one is after `retries` attempts.
import { setTimeout as sleep } from 'node:timers/promises';
import { TransferError } from './transfer-error.js';

export interface RetryOptions {
  retries: number;
  backoffMs: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  what: string; // "SHA256SUMS" or the file name, for the notice
}

const maxBackoffMs = 30_000;

export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions, progressed: () => boolean = () => false): Promise<T> {
  let failures = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransferError) || !error.retryable || options.signal?.aborted) throw error;
      failures = progressed() ? 1 : failures + 1;
      if (failures > options.retries) throw error;
      const delay = Math.min(options.backoffMs * 2 ** (failures - 1), maxBackoffMs);
      options.log?.(`${options.what}: ${error.message}; retrying in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, undefined, { signal: options.signal }).catch(() => undefined);
      if (options.signal?.aborted) throw error;
    }
  }
}
