// The run state for kubenet status and stop: QEMU's answer, or why there is none — and never a
// hang: a QMP that does not greet or answer is reported within the bound given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { queryRunState } from '../../lib/vm/query-run-state.js';
import { startFakeQmp, type FakeQmp } from '../helpers/fake-qmp.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('queryRunState');
let dir: ReturnType<typeof tempDir>;
let qmp: FakeQmp | undefined;
test.before.each(() => {
  dir = tempDir('kubenet-query-');
});
test.after.each(async () => {
  await qmp?.close();
  qmp = undefined;
  dir.remove();
});
const socket = () => join(dir.path, 'control.sock');

test('the state QEMU reports', async () => {
  qmp = await startFakeQmp(socket(), { status: 'guest-panicked' });
  assert.equal(await queryRunState(socket(), 2000), { state: 'guest-panicked' });
});

test('a QMP that never greets is said so once the bound has passed (the test ends within 5 s)', async () => {
  qmp = await startFakeQmp(socket(), { greet: false });
  const answer = await Promise.race([
    queryRunState(socket(), 500),
    new Promise((resolve) => setTimeout(() => resolve('hang'), 5000)),
  ]);
  assert.equal(answer, { error: 'QMP did not answer within 0.5 s' });
});

test('a QMP that greets but never answers query-status is said so too', async () => {
  qmp = await startFakeQmp(socket(), { answerStatus: false });
  const answer = await Promise.race([
    queryRunState(socket(), 1000),
    new Promise((resolve) => setTimeout(() => resolve('hang'), 5000)),
  ]);
  assert.equal(answer, { error: 'QMP did not answer within 1 s' });
});

test('no socket: said at once, without waiting for one to appear', async () => {
  const answer = await Promise.race([
    queryRunState(socket(), 60_000),
    new Promise((resolve) => setTimeout(() => resolve('hang'), 1000)),
  ]);
  assert.match((answer as { error: string }).error, 'no control socket');
});

test.run();
