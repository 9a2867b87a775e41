import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followFile } from '../../lib/vm/serial-follower.js';
import { eventually } from '../helpers/vm-qemu.js';

const test = suite('serial-follower');
let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubenet-follow-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('it waits for the file, then delivers each byte once, in order', async () => {
  const file = join(dir, 'serial.log');
  const chunks: string[] = [];
  const follower = followFile(file, (chunk) => chunks.push(chunk.toString()));
  try {
    await writeFile(file, 'one\n');
    assert.ok(await eventually(() => chunks.join('') === 'one\n', 5000), 'first write seen');
    await appendFile(file, 'two\n');
    await appendFile(file, 'three');
    assert.ok(await eventually(() => chunks.join('') === 'one\ntwo\nthree', 5000), 'appends seen');
  } finally {
    await follower.stop();
  }
  assert.is(chunks.join(''), 'one\ntwo\nthree');
});

test('stop() reads what was written just before it', async () => {
  const file = join(dir, 'late.log');
  await writeFile(file, '');
  const chunks: string[] = [];
  const follower = followFile(file, (chunk) => chunks.push(chunk.toString()), 60_000);
  await appendFile(file, 'last words');
  await follower.stop();
  assert.is(chunks.join(''), 'last words');
});

test('a truncated file is read again from the start', async () => {
  const file = join(dir, 'restart.log');
  await writeFile(file, 'old run, long line\n');
  const chunks: string[] = [];
  const follower = followFile(file, (chunk) => chunks.push(chunk.toString()));
  try {
    assert.ok(await eventually(() => chunks.length === 1, 5000));
    await writeFile(file, 'new\n');
    assert.ok(await eventually(() => chunks.join('').endsWith('new\n'), 5000));
  } finally {
    await follower.stop();
  }
  assert.equal(chunks, ['old run, long line\n', 'new\n']);
});

test.run();
