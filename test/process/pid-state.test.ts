import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { processAlive } from '../../lib/process/pid-state.js';

const test = suite('processAlive');

test('this process, and a child while it runs, are alive; the child once reaped is not', async () => {
  assert.ok(processAlive(process.pid));
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  assert.ok(processAlive(child.pid!));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  assert.not.ok(processAlive(child.pid!));
});

test("pid 1 (another user's, or root's: EPERM or not) is alive; no pid, 0 and negatives are not", () => {
  assert.ok(processAlive(1));
  for (const pid of [0, -1, 1.5, Number.NaN]) assert.not.ok(processAlive(pid), String(pid));
});

test.run();
