import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fingerprintInputs } from '../../lib/fingerprint/inputs.js';

const test = suite('fingerprintInputs');

test('orders options and deps by code units, the same on every host, not by the locale', () => {
  const { parts } = fingerprintInputs({ values: { a: 1, B: 2, ä: 3 } }, { 'z-dep': 'x', 'A-dep': 'y' });
  assert.equal(Object.keys(parts), ['option B', 'option a', 'option ä', 'dep A-dep', 'dep z-dep']);
});

test('the order the values come in does not change the digest', () => {
  const one = fingerprintInputs({ values: { arch: 'x86_64', accel: 'auto' } }, { b: '2', a: '1' });
  const two = fingerprintInputs({ values: { accel: 'auto', arch: 'x86_64' } }, { a: '1', b: '2' });
  assert.is(one.digest, two.digest);
  assert.is.not(
    one.digest,
    fingerprintInputs({ values: { arch: 'aarch64', accel: 'auto' } }, { b: '2', a: '1' }).digest,
  );
});

test.run();
