// The default readiness of a detached VM: QEMU runs (or QMP could not tell) and the serial
// console printed a line — both, in either order.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firstSignOfLife, type StartedVm } from '../../lib/vm/readiness.js';

const test = suite('readiness');

function vm() {
  let run!: () => void;
  let print!: (line: string) => void;
  const started: StartedVm = {
    pid: 1,
    running: new Promise<void>((resolve) => (run = resolve)),
    firstOutput: new Promise<string>((resolve) => (print = resolve)),
    signal: new AbortController().signal,
  };
  return { started, run, print };
}
const settled = async <T>(p: Promise<T>) =>
  Promise.race([p, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 50))]);

test('not ready while only one of the two holds', async () => {
  const a = vm();
  const waitA = firstSignOfLife.wait(a.started);
  a.run();
  assert.is(await settled(waitA), 'pending', 'running, nothing printed');
  const b = vm();
  const waitB = firstSignOfLife.wait(b.started);
  b.print('UEFI firmware (version …)');
  assert.is(await settled(waitB), 'pending', 'printed, not known to run');
});

test('ready once both hold, saying what it saw', async () => {
  const a = vm();
  const wait = firstSignOfLife.wait(a.started);
  a.print('UEFI firmware (version 2024)');
  a.run();
  assert.is(await settled(wait), 'QEMU runs and its serial console printed "UEFI firmware (version 2024)"');
});

test('a long first line is cut short', async () => {
  const a = vm();
  a.run();
  a.print('x'.repeat(200));
  assert.match(await firstSignOfLife.wait(a.started), `"${'x'.repeat(60)}…"`);
});

test.run();
