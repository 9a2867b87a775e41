// The error a promise rejects with, checked to be of the expected class; a promise that resolves
// fails the test.
import * as assert from 'uvu/assert';

export async function rejection<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  let rejected = false;
  let error: unknown;
  await promise.then(
    () => undefined,
    (e: unknown) => ((rejected = true), (error = e)),
  );
  assert.ok(rejected, 'expected a rejection');
  assert.instance(error, type, String((error as Error)?.stack ?? error));
  return error as E;
}
