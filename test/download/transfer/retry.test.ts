import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withRetries, type RetryOptions } from '../../../lib/download/transfer/retry.js';
import { TransferError } from '../../../lib/download/http/transfer-error.js';
import { rejection } from '../../helpers/rejection.js';
import { within } from '../../helpers/within.js';

const test = suite('withRetries');
const policy = (extra: Partial<RetryOptions> = {}): RetryOptions => ({
  retries: 2,
  backoffMs: 1,
  maxAttempts: 100,
  maxMs: 60_000,
  what: 'x',
  ...extra,
});
const transient = () => new TransferError('connection reset', { retryable: true });

const failure = (promise: Promise<unknown>) => rejection(promise, TransferError);

test('a failure that would repeat (not retryable) is thrown at once', async () => {
  let attempts = 0;
  const error = await failure(
    withRetries(async () => {
      attempts++;
      throw new TransferError('malformed Content-Length "abc"', { retryable: false });
    }, policy()),
  );
  assert.is(attempts, 1);
  assert.is(error.message, 'malformed Content-Length "abc"');
});

test('transient failures without progress give up after the retries, saying so', async () => {
  let attempts = 0;
  const error = await failure(
    withRetries(async () => {
      attempts++;
      throw transient();
    }, policy()),
  );
  assert.is(attempts, 3);
  assert.is(error.message, 'connection reset (gave up after 2 retries without progress)');
});

test('an attempt with progress starts the count again', async () => {
  let attempts = 0;
  const progress = [false, true, false, true, false]; // without the resets, the third would be the last
  const result = await withRetries(
    async () => {
      if (++attempts <= progress.length) throw transient();
      return 'done';
    },
    policy(),
    () => progress[attempts - 1]!,
  );
  assert.is(result, 'done');
  assert.is(attempts, 6);
});

test('progress or not, attempts stop at maxAttempts', async () => {
  let attempts = 0;
  const error = await failure(
    withRetries(
      async () => {
        attempts++;
        throw transient();
      },
      policy({ maxAttempts: 4 }),
      () => true,
    ),
  );
  assert.is(attempts, 4);
  assert.match(error.message, 'gave up after 4 attempts, the limit per download');
});

test('progress or not, time stops at maxMs: the running attempt is aborted (bound 5 s)', async () => {
  const error = await failure(
    within(5_000, 'the retries', () =>
      withRetries(
        (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => reject(new TransferError('aborted', { retryable: false })));
          }),
        policy({ maxMs: 100 }),
      ),
    ),
  );
  assert.is(error.message, 'took longer than 0.1 s, the limit per download');
});

test("Ctrl-C ends the loop with the attempt's own error, without a retry", async () => {
  const controller = new AbortController();
  let attempts = 0;
  const error = await failure(
    withRetries(
      async () => {
        attempts++;
        controller.abort();
        throw transient();
      },
      policy({ signal: controller.signal }),
    ),
  );
  assert.is(attempts, 1);
  assert.is(error.message, 'connection reset');
});

test.run();
