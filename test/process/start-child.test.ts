import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processAlive } from '../../lib/process/pid-state.js';
import { startChild } from '../../lib/process/start-child.js';
import { alive } from '../helpers/processes.js';

const test = suite('startChild: long-lived children, one policy');

test('stop(): SIGTERM, then SIGKILL after the grace for a child that ignores SIGTERM; awaited, bounded', async () => {
  const stubborn = ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'];
  const child = await startChild('sh', stubborn, { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    const started = Date.now();
    const exit = await child.stop(300);
    assert.ok(Date.now() - started < 20_000, 'bounded');
    assert.equal(exit, { exitCode: null, signal: 'SIGKILL' });
    assert.ok(child.hasExited());
    assert.not.ok(alive(child.pid));
    child.kill('SIGKILL'); // once exited: nothing is sent to a pid that may be someone else's now
  } finally {
    child.kill('SIGKILL');
  }
});

test('a child that heeds SIGTERM ends at once; what it printed is read to the end before exited settles', async () => {
  const heeds = ['-c', 'trap "echo bye >&2; exit 0" TERM; echo ready; while :; do sleep 0.1; done'];
  const child = await startChild('sh', heeds, { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  child.stdout!.resume();
  assert.equal(await child.stop(10_000), { exitCode: 0, signal: undefined });
  assert.is(said, 'bye\n');
});

test('detached: a session of its own', async () => {
  const child = await startChild('sleep', ['30'], { stdio: 'ignore', detached: true });
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    assert.is(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]), child.pid);
  } finally {
    await child.stop(1000);
  }
});

test('endWithKubenet: the child is sent SIGTERM when kubenet exits', () => {
  const module = new URL('../../lib/process/start-child.js', import.meta.url).href;
  const script = `import { startChild } from ${JSON.stringify(module)};
const child = await startChild('sleep', ['60'], { stdio: 'ignore', endWithKubenet: true });
process.stdout.write(String(child.pid)); process.exit(0);`; // (console.log would colour it: FORCE_COLOR)
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  const pid = Number(r.stdout.trim());
  assert.ok(pid > 0, `${r.status} ${r.signal} ${r.error} ${r.stderr}`);
  const until = Date.now() + 10_000;
  while (processAlive(pid) && alive(pid) && Date.now() < until) spawnSync('sleep', ['0.1']);
  const gone = !alive(pid);
  if (!gone) process.kill(pid, 'SIGKILL');
  assert.ok(gone, 'no child left behind');
});

test('a program that is not there: the spawn error (ENOENT), nothing started', async () => {
  const started = startChild('kubenet-no-such-daemon', [], { stdio: 'ignore' });
  const error = await started.then(
    () => undefined,
    (e: NodeJS.ErrnoException) => e,
  );
  assert.is(error?.code, 'ENOENT');
});

test.run();
