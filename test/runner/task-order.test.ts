import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { executionOrder, fullOrder, type Node } from '../../lib/runner/task-order.js';
import { isKubenetError, ExitCode } from '../../lib/errors.js';

const graph = (edges: Record<string, string[]>) =>
  new Map<string, Node>(Object.entries(edges).map(([name, deps]) => [name, { name, deps }]));

const test = suite('executionOrder');

test('runs deps before the task that needs them', () => {
  const g = graph({ a: [], b: ['a'], c: ['b'] });
  assert.equal(executionOrder(['c'], g), ['a', 'b', 'c']);
});

test('runs a dep shared by two named tasks once', () => {
  const g = graph({ q: [], iso: ['q'], live: ['q', 'iso'], cloud: ['q'] });
  assert.equal(executionOrder(['live', 'cloud'], g), ['q', 'iso', 'live', 'cloud']);
});

test('runs a task named twice once', () => {
  const g = graph({ a: [], b: ['a'] });
  assert.equal(executionOrder(['b', 'a', 'b'], g), ['a', 'b']);
});

test('names the whole path of a cycle', () => {
  const g = graph({ a: ['c'], b: ['a'], c: ['b'] });
  try {
    executionOrder(['a'], g);
    assert.unreachable('a cycle must throw');
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.is(error.code, ExitCode.graph);
    assert.match(error.message, 'a → c → b → a');
  }
});

test('names the path to an unknown dep', () => {
  const g = graph({ a: [], b: ['a', 'ghost'] });
  try {
    executionOrder(['b'], g);
    assert.unreachable('an unknown dep must throw');
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, 'unknown dependency "ghost" (b → ghost)');
  }
});

test('orders every task with deps first and names as tie-break', () => {
  const g = graph({ '03-c': ['00-a', '10-x'], '00-a': [], '10-x': ['00-a'], '02-b': ['00-a'] });
  assert.equal(fullOrder(g), ['00-a', '02-b', '10-x', '03-c']);
});

test.run();
