import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import {
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
  closeSync,
  ftruncateSync,
} from 'node:fs';
import { join } from 'node:path';
import { copyOnce } from '../../lib/fs/copy-once.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('copyOnce');
let dir: ReturnType<typeof tempDir>;

test.before.each(() => {
  dir = tempDir('kubenet-copy-');
});
test.after.each(() => dir.remove());

test('copies the whole file with the mode asked for, and leaves no temp file', async () => {
  const from = join(dir.path, 'template.fd');
  writeFileSync(from, randomBytes(3 << 20));
  const to = join(dir.path, 'efivars.fd');
  assert.is(await copyOnce(from, to, { mode: 0o600 }), 'copied');
  assert.ok(readFileSync(to).equals(readFileSync(from)));
  assert.is(statSync(to).mode & 0o777, 0o600);
  assert.equal(readdirSync(dir.path).sort(), ['efivars.fd', 'template.fd']);
});

test('runs of zeros stay holes: a 64 MiB store with one block of data takes little space', async () => {
  const from = join(dir.path, 'AAVMF_VARS.fd');
  const fd = openSync(from, 'w');
  writeSync(fd, randomBytes(4096), 0, 4096, 1 << 20);
  ftruncateSync(fd, 64 << 20);
  closeSync(fd);
  const to = join(dir.path, 'efivars.fd');
  await copyOnce(from, to);
  assert.ok(readFileSync(to).equals(readFileSync(from)));
  assert.is(statSync(to).size, 64 << 20);
  assert.ok(statSync(to).blocks * 512 <= 1 << 20, `allocated ${statSync(to).blocks * 512} bytes`);
});

test('never replaces what is already there, a link included', async () => {
  const from = join(dir.path, 'template.fd');
  writeFileSync(from, 'template');
  const existing = join(dir.path, 'efivars.fd');
  writeFileSync(existing, "the VM's own variables");
  assert.is(await copyOnce(from, existing), 'exists');
  assert.is(readFileSync(existing, 'utf8'), "the VM's own variables");
  const victim = plantVictim(dir.path);
  const link = join(dir.path, 'linked.fd');
  symlinkSync(victim.path, link);
  assert.is(await copyOnce(from, link), 'exists');
  assert.ok(victim.untouched());
  assert.equal(readdirSync(dir.path).sort(), ['efivars.fd', 'linked.fd', 'template.fd', 'victim.txt']);
});

test.run();
