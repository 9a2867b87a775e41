import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { distance, suggestions } from '../lib/suggestions.js';

const test = suite('suggestions');
const names = ['00-qemu', '01-machine', '02-live-cd', '03-cloud-image', 'network', 'cloud-img'];

test('the nearest names, by full and short name', () => {
  assert.equal(suggestions('cloud-imag', names), ['03-cloud-image', 'cloud-img']);
  assert.equal(suggestions('netwrk', names), ['network']);
  assert.equal(suggestions('qemu-', names), ['00-qemu']);
});

test('a word far from every name has none', () => {
  assert.equal(suggestions('kubernetes-cluster', names), []);
});

test('edit distance', () => {
  assert.is(distance('kitten', 'sitting'), 3);
  assert.is(distance('', 'abc'), 3);
  assert.is(distance('same', 'same'), 0);
});

test.run();
