import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../lib/errors.js';
import { checkImagesDir } from '../../lib/fs/images-dir.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('checkImagesDir');
let dir: ReturnType<typeof tempDir>;

test.before.each(() => {
  dir = tempDir('kubenet-imagesdir-');
});
test.after.each(() => dir.remove());

async function fails(root: string, write: boolean, message: string): Promise<void> {
  const error = await failsWith(
    () => checkImagesDir(root, { write }),
    ExitCode.host,
    `the images folder ${root} ${message}`,
  );
  assert.match(error.hint!, '--images DIR');
}

test('a missing folder is made for a run that writes, and left alone by a dry run', async () => {
  await checkImagesDir(join(dir.path, 'dry'), { write: false });
  assert.not.ok(existsSync(join(dir.path, 'dry')));
  await checkImagesDir(join(dir.path, 'a', 'images'), { write: true });
  assert.ok(existsSync(join(dir.path, 'a', 'images')));
});

test('a file in its place is refused, dry run or not', async () => {
  const file = join(dir.path, 'images');
  writeFileSync(file, 'not a folder');
  await fails(file, true, 'is a file, not a folder');
  await fails(file, false, 'is a file, not a folder');
});

test('a file in place of a parent folder is refused', async () => {
  writeFileSync(join(dir.path, 'parent'), '');
  await fails(
    join(dir.path, 'parent', 'images'),
    true,
    'cannot be made: a file stands where one of its parent folders should be',
  );
});

test('an existing writable folder passes', async () => {
  mkdirSync(join(dir.path, 'images'));
  await checkImagesDir(join(dir.path, 'images'), { write: true });
});

test.run();
