import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { distance, resolveName } from '../../lib/graph/resolve-name.js';
import { ExitCode, isKubenetError } from '../../lib/errors.js';

const names = ['00-qemu', '01-live-iso', '02-live-cd', '03-cloud-image', '04-cloud-img'];
const test = suite('resolveName');

const cases: [string, string][] = [
  ['03-cloud-image', '03-cloud-image'],
  ['03', '03-cloud-image'],
  ['3', '03-cloud-image'],
  ['cloud-image', '03-cloud-image'],
  ['qemu', '00-qemu'],
  ['live-cd', '02-live-cd'],
];
for (const [query, expected] of cases) {
  test(`"${query}" names ${expected}`, () => assert.is(resolveName(query, names), expected));
}

test('an unknown name suggests the nearest and exits with a usage code', () => {
  try {
    resolveName('cloud-imag', names);
    assert.unreachable();
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.is(error.code, ExitCode.usage);
    assert.match(error.message, 'did you mean 03-cloud-image');
  }
});

test('a name far from every task has no suggestion', () => {
  try {
    resolveName('kubernetes-cluster', names);
    assert.unreachable();
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.not.match(error.message, 'did you mean');
  }
});

test('edit distance', () => {
  assert.is(distance('kitten', 'sitting'), 3);
  assert.is(distance('', 'abc'), 3);
  assert.is(distance('same', 'same'), 0);
});

test.run();
