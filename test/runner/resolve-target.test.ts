// What a word on the command line names, against the chapter's own tasks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import { Registry } from '../../lib/runner/registry.js';
import { describe, findStep, resolveTarget, stepOf } from '../../lib/runner/resolve-target.js';
import { builtInTasksDir } from '../helpers/chapter-tasks.js';

const graph = await Registry.open([{ dir: builtInTasksDir, builtIn: true }]);
const test = suite('resolveTarget');

const cases: [string, string][] = [
  ['03-cloud-image', 'the task 03-cloud-image'],
  ['03', 'the task 03-cloud-image'],
  ['cloud-image', 'step 9 cloud-image of 03-cloud-image'], // a step's name names the step; the task is 03-cloud-image
  ['live-cd', 'step 5 live-cd of 02-live-cd'],
  ['02-live-cd', 'the task 02-live-cd'],
  ['02', 'the task 02-live-cd'],
  ['machine', 'the task 01-machine'],
  ['3', 'step 3 hard-way of 01-machine'],
  ['hard-way', 'step 3 hard-way of 01-machine'],
  ['5', 'step 5 live-cd of 02-live-cd'],
  ['9', 'step 9 cloud-image of 03-cloud-image'],
  ['network', 'step 6 network of 02-live-cd'],
  ['11', 'step 11 cloud-init of 03-cloud-image'],
  ['cloud-init', 'step 11 cloud-init of 03-cloud-image'],
  ['cloud-img', 'the download cloud-img'],
  ['jammy-desktop-arm64.iso', 'the download live-iso'],
  ['13-cloud-img', 'the download cloud-img'],
  ['12-live-iso', 'the download live-iso'],
];
for (const [word, expected] of cases) {
  test(`"${word}" names ${expected}`, async () =>
    assert.is(describe(await resolveTarget(graph, word, 'aarch64')), expected));
}

test("a task's short name that is also a step's says so; reset, which takes tasks, reads it as the task", async () => {
  const t = await resolveTarget(graph, 'live-cd', 'x86_64');
  assert.ok(t.kind === 'task' && t.alsoTask === '02-live-cd' && t.step?.step === 5);
  assert.is(describe(await resolveTarget(graph, 'live-cd', 'x86_64', { prefer: 'task' })), 'the task 02-live-cd');
});

test('an old task name says what it became', async () => {
  const t = await resolveTarget(graph, '13-cloud-img', 'x86_64');
  assert.ok(t.kind === 'download' && t.formerly === '13-cloud-img');
});

test('an unknown word suggests the nearest name and is a usage error', async () => {
  for (const [word, near] of [
    ['netwrk', 'network'],
    ['cloud-imag', '03-cloud-image'],
  ] as const) {
    try {
      await resolveTarget(graph, word, 'x86_64');
      assert.unreachable(word);
    } catch (error) {
      assert.ok(isKubenetError(error));
      assert.is(error.code, ExitCode.usage);
      assert.match(error.message, `did you mean ${near}`);
    }
  }
});

test('a task number is two digits; a bare number is a step', async () => {
  assert.is(describe(await resolveTarget(graph, '00', 'x86_64')), 'the task 00-qemu');
  assert.is(describe(await resolveTarget(graph, '1', 'x86_64')), 'step 1 qemu-version of 00-qemu');
});

test('--step by number or name inside a task, and a step the task does not have', async () => {
  const task = await graph.load('02-live-cd');
  assert.is(stepOf(task, '6').name, 'network');
  assert.is(stepOf(task, 'disk').step, 8);
  assert.throws(() => stepOf(task, '9'), /02-live-cd has no step 9/);
  assert.is(describe(await findStep(graph, '10')), 'step 10 headless of 03-cloud-image');
});

test.run();
