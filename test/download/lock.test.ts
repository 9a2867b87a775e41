import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../../lib/download/lock.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';

const test = suite('download lock');
let dir = '';
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubenet-lock-'));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!; // exited by the time we use it

test('holds pid, host and start time, and is removed on release', async () => {
  const path = join(dir, 'locks', 'download-x.lock');
  const lock = await acquireLock(path, { what: 'downloading x', pollMs: 10 });
  const owner = JSON.parse(await readFile(path, 'utf8'));
  assert.is(owner.pid, process.pid);
  assert.is(owner.host, hostname());
  assert.type(owner.startedAt, 'number');
  assert.is(lock.waited, false);
  await lock.release();
  assert.not.ok(existsSync(path));
});

test('a lock left by a dead process is recovered', async () => {
  const path = join(dir, 'x.lock');
  await writeFile(path, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: 1, what: 'downloading x' }));
  const lock = await acquireLock(path, { what: 'downloading x', pollMs: 10 });
  assert.is(JSON.parse(await readFile(path, 'utf8')).pid, process.pid);
  await lock.release();
});

test('a live holder makes the next one wait, say whom it waits for, and go on after release', async () => {
  const path = join(dir, 'x.lock');
  const first = await acquireLock(path, { what: 'downloading x', pollMs: 10 });
  const logs: string[] = [];
  // The holder is this very process: a live pid, so the second waits.
  await writeFile(path, JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 2, what: 'downloading x' }));
  const second = acquireLock(path, { what: 'downloading x', pollMs: 10, log: (l) => logs.push(l) });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(logs, [`waiting for pid ${process.ppid} downloading x`]);
  await rm(path);
  const lock = await second;
  assert.is(lock.waited, true);
  await lock.release();
  await first.release(); // no longer ours: must not remove anything
});

test('waiting ends with "interrupted" on Ctrl-C', async () => {
  const path = join(dir, 'x.lock');
  await writeFile(path, JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: 3, what: 'downloading x' }));
  const controller = new AbortController();
  const waiting = acquireLock(path, { what: 'downloading x', pollMs: 10, signal: controller.signal });
  controller.abort();
  try {
    await waiting;
    assert.unreachable();
  } catch (error) {
    assert.instance(error, KubenetError);
    assert.is((error as KubenetError).code, ExitCode.interrupted);
  }
});

test.run();
