// The run-state watch against a QMP server the test controls (test/helpers/fake-qmp.ts): a VM
// that QEMU stopped is reported, one that runs or is merely paused is not, and a QMP that never
// answers ends the watch within its bound and says so.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { watchRunState, type Halt, type RunStateWatch } from '../../lib/vm/run-state-watch.js';
import { startFakeQmp, type FakeQmp, type FakeQmpOptions } from '../helpers/fake-qmp.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('run-state-watch');
// Every wait in this file ends by then: a watch that hangs fails the case instead.
const boundMs = 10_000;

let dir: ReturnType<typeof tempDir>;
let qmp: FakeQmp | undefined;
let watch: RunStateWatch | undefined;
let qemuExits!: () => void;
let details: string[];

test.before.each(() => {
  dir = tempDir('kubenet-watch-');
  details = [];
});
test.after.each(async () => {
  watch?.close();
  watch = undefined;
  qemuExits?.();
  await qmp?.close();
  qmp = undefined;
  dir.remove();
});

const socket = () => join(dir.path, 'qmp.sock');

async function start(options: FakeQmpOptions, watchOptions: { connectMs?: number; answerMs?: number } = {}) {
  qmp = await startFakeQmp(socket(), options);
  const exited = new Promise<void>((resolve) => (qemuExits = resolve));
  watch = watchRunState({ socket: socket(), exited, detail: (line) => details.push(line), ...watchOptions });
  return watch;
}

// The promise's value, or 'pending' when it has not settled after `ms`.
async function within<T>(promise: Promise<T>, ms = boundMs): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${boundMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a VM that QEMU stopped before the watch connected is reported by the first query', async () => {
  const w = await start({ status: 'internal-error' });
  assert.equal(await within(w.halted), { state: 'internal-error' } satisfies Halt);
  assert.is(await w.connected, true);
});

// [what happened, the event QEMU sends, the run state query-status then reports]
const halts: [string, string, string][] = [
  ['KVM could not go on', 'STOP', 'internal-error'],
  ['the guest panicked', 'GUEST_PANICKED', 'guest-panicked'],
  ['a disk write failed (a full host disk)', 'STOP', 'io-error'],
  ['the guest powered off under -no-shutdown', 'STOP', 'shutdown'],
];
for (const [what, event, state] of halts) {
  test(`${what}: ${event} and ${state} are reported with the event`, async () => {
    const w = await start({ status: 'running' });
    assert.is(await within(w.connected), true);
    await until(() => qmp!.queries === 1);
    qmp!.status = state;
    qmp!.event(event);
    assert.equal(await within(w.halted), { state, event });
  });
}

test("a VM paused on purpose (the monitor's stop) is not a halt", async () => {
  const w = await start({ status: 'running' });
  assert.is(await within(w.connected), true);
  await until(() => qmp!.queries === 1);
  qmp!.status = 'paused';
  qmp!.event('STOP');
  await until(() => qmp!.queries === 2); // the STOP was looked at …
  assert.is(await within(w.halted, 200), 'pending'); // … and let be
  assert.equal(details, []);
});

test('a socket that never greets: the watch gives up within its bound and says so', async () => {
  const w = await start({ greet: false }, { connectMs: 500 });
  assert.is(await within(w.connected), false);
  assert.is(details.length, 1, details.join('\n'));
  assert.match(details[0]!, /^run-state watch off: .*no QMP greeting/);
  assert.match(details[0]!, 'only noticed at the timeout');
});

test('a QMP that never answers query-status: the watch says so within its bound', async () => {
  const w = await start({ answerStatus: false }, { answerMs: 300 });
  assert.is(await within(w.connected), true);
  await until(() => details.length > 0);
  assert.match(details[0]!, /^run-state watch off: query-status failed: no answer within 300 ms/);
  assert.is(await within(w.halted, 100), 'pending');
});

test('no socket at all: the watch gives up within its bound', async () => {
  const exited = new Promise<void>((resolve) => (qemuExits = resolve));
  watch = watchRunState({ socket: socket(), exited, connectMs: 300, detail: (line) => details.push(line) });
  assert.is(await within(watch.connected), false);
  assert.match(details.join('\n'), 'run-state watch off');
});

test('QEMU exiting ends the connection attempts at once, without a word', async () => {
  const exited = new Promise<void>((resolve) => (qemuExits = resolve));
  watch = watchRunState({ socket: socket(), exited, connectMs: 60_000, detail: (line) => details.push(line) });
  qemuExits();
  assert.is(await within(watch.connected), false, 'well before connectMs');
  assert.equal(details, []);
});

test("the first query's run state is told, for a readiness that waits for a running VM", async () => {
  const w = await start({ status: 'running' });
  assert.is(await within(w.firstState), 'running');
  qmp!.status = 'paused';
  qmp!.event('STOP');
  await until(() => qmp!.queries === 2);
  assert.is(await w.firstState, 'running', 'the first answer, not a later one');
});

test('no QMP answer: the first run state is undefined, within the bound', async () => {
  const w = await start({ greet: false }, { connectMs: 300 });
  assert.is(await within(w.firstState), undefined);
});

test('close() ends the watch: no more queries, the connection is dropped', async () => {
  const w = await start({ status: 'running' });
  assert.is(await within(w.connected), true);
  await until(() => qmp!.queries === 1);
  w.close();
  qmp!.status = 'internal-error';
  qmp!.event('STOP');
  assert.is(await within(w.halted, 200), 'pending');
  assert.is(qmp!.queries, 1);
});

test.run();
