// Asserts that an action fails as kubenet reports failures: a KubenetError with this exit code,
// a message that says `message`, and a hint. Returns the error for further checks.
import * as assert from 'uvu/assert';
import { isKubenetError, type KubenetError } from '../../lib/errors.js';

export async function failsWith(action: () => Promise<unknown>, code: number, message: string): Promise<KubenetError> {
  try {
    await action();
  } catch (error) {
    assert.ok(isKubenetError(error), String((error as Error)?.stack ?? error));
    assert.is(error.code, code, error.message);
    assert.match(error.message, message);
    assert.ok(error.hint, 'says what to do next');
    return error;
  }
  assert.unreachable(`should have failed: ${message}`);
  throw new Error('unreachable');
}
