// Retries with exponential backoff for transient failures (connection errors, stalls, 5xx); a
// protocol violation or a 4xx is not retried. Every loop ends:
// - `retries` failed attempts in a row without progress give up (what counts as progress is the
//   caller's: for a download, new bytes kept beyond the furthest point reached so far);
// - whatever the progress, at most `maxAttempts` attempts and `maxMs` in all.
import { setTimeout as sleep } from 'node:timers/promises';
import { restated, TransferError } from '../http/transfer-error.js';

export interface RetryOptions {
  retries: number;
  backoffMs: number;
  maxAttempts: number;
  maxMs: number;
  signal?: AbortSignal; // Ctrl-C
  log?: (line: string) => void;
  what: string; // "SHA256SUMS" or the file name, for the notice
}

const maxBackoffMs = 30_000;

// `attempt` gets a signal that also aborts when `maxMs` is up.
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions,
  progressed: () => boolean = () => false,
): Promise<T> {
  const timeUp = new AbortController();
  const timer = setTimeout(() => timeUp.abort(), options.maxMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeUp.signal]) : timeUp.signal;
  let failures = 0; // in a row; an attempt that made progress starts a new count at 1
  try {
    for (let attempts = 1; ; attempts++) {
      try {
        return await attempt(signal);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (timeUp.signal.aborted) throw tooLong(error, options.maxMs);
        if (!(error instanceof TransferError) || !error.retryable) throw error;
        failures = progressed() ? 1 : failures + 1;
        if (failures > options.retries)
          throw options.retries === 0
            ? error
            : giveUp(
                error,
                `gave up after ${options.retries} ${options.retries === 1 ? 'retry' : 'retries'} without progress`,
              );
        if (attempts >= options.maxAttempts)
          throw giveUp(error, `gave up after ${attempts} attempts, the limit per download`);
        const delay = Math.min(options.backoffMs * 2 ** (failures - 1), maxBackoffMs);
        options.log?.(`${options.what}: ${error.message}; retrying in ${(delay / 1000).toFixed(1)} s`);
        await sleep(delay, undefined, { signal }).catch(() => undefined);
        if (options.signal?.aborted) throw error;
        if (timeUp.signal.aborted) throw tooLong(error, options.maxMs);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

// The errors that end the loop keep the last failure's nature: transient stays transient.
const tooLong = (error: unknown, maxMs: number) =>
  new TransferError(`took longer than ${maxMs / 1000} s, the limit per download`, { retryable: true, cause: error });

function giveUp(error: unknown, why: string): TransferError {
  if (error instanceof TransferError) return restated(error, `${error.message} (${why})`, error, why);
  return new TransferError(`${(error as Error)?.message ?? String(error)} (${why})`, {
    retryable: false,
    cause: error,
  });
}
