import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinFile } from '../../lib/disk/pin-file.js';
import { ExitCode } from '../../lib/errors.js';
import { makePaths, type Paths } from '../../lib/paths.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('pinFile');
const name = 'jammy-server-cloudimg-arm64.img';
const sha = 'cd'.repeat(32);
let dir: ReturnType<typeof tempDir>;
let paths: Paths;

test.before.each(() => {
  dir = tempDir('kubenet-pin-');
  paths = makePaths(join(dir.path, 'images'));
  mkdirSync(paths.root);
  writeFileSync(join(paths.root, name), 'image v1');
});
test.after.each(() => dir.remove());

const refused = (message: string) =>
  failsWith(() => pinFile(paths, join(paths.root, name), sha), ExitCode.host, message);

test('a hard link under images/base/, named by digest: the same file, no space', async () => {
  const pin = await pinFile(paths, join(paths.root, name), sha);
  assert.is(pin, join(paths.root, 'base', `${sha.slice(0, 16)}-${name}`));
  assert.is(statSync(pin).ino, statSync(join(paths.root, name)).ino);
  assert.is(await pinFile(paths, join(paths.root, name), sha), pin, 'an existing pin is reused');
});

test('a link at the pin name is refused and not followed', async () => {
  const victim = plantVictim(dir.path);
  mkdirSync(join(paths.root, 'base'));
  symlinkSync(victim.path, paths.pinned(sha, name));
  await refused(`${paths.pinned(sha, name)} is a symbolic link`);
  assert.ok(victim.untouched());
});

test('a base/ folder that is a link is refused', async () => {
  const elsewhere = join(dir.path, 'elsewhere');
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(paths.root, 'base'));
  await refused(`${join(paths.root, 'base')} is a symbolic link`);
});

test('a file of another size under the pin name is not taken for a copy', async () => {
  mkdirSync(join(paths.root, 'base'));
  writeFileSync(paths.pinned(sha, name), 'something else entirely');
  await refused('not a copy of');
});

test.run();
