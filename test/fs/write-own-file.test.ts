// kubenet's own files by their name under images/: written whole when they change, kept when the
// learner's (keep), never through a link.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOwnText, writeOwnFile } from '../../lib/fs/write-own-file.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('write-own-file');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-own-file-');
});
test.after.each(() => dir.remove());

test('written with its folders and mode, and only again when the text or mode changes', async () => {
  assert.ok(await writeOwnFile(dir.path, 'network/tapup.sh', '#!/bin/sh\n', { mode: 0o755 }));
  assert.is(statSync(join(dir.path, 'network/tapup.sh')).mode & 0o777, 0o755);
  assert.not.ok(await writeOwnFile(dir.path, 'network/tapup.sh', '#!/bin/sh\n', { mode: 0o755 }));
  assert.ok(await writeOwnFile(dir.path, 'network/tapup.sh', '#!/bin/sh\n', { mode: 0o700 }));
  assert.is(await readOwnText(dir.path, 'network/tapup.sh'), '#!/bin/sh\n');
  assert.is(await readOwnText(dir.path, 'network/missing'), undefined);
});

test("keep: the learner's edit stays", async () => {
  await writeOwnFile(dir.path, 'cloud-init/user-data.worker', 'default\n', { keep: true });
  writeFileSync(join(dir.path, 'cloud-init/user-data.worker'), 'mine\n');
  assert.not.ok(await writeOwnFile(dir.path, 'cloud-init/user-data.worker', 'default\n', { keep: true }));
  assert.is(readFileSync(join(dir.path, 'cloud-init/user-data.worker'), 'utf8'), 'mine\n');
});

test('a link at the name is refused, neither written nor read through', async () => {
  writeFileSync(join(dir.path, 'victim'), 'keep me\n');
  symlinkSync(join(dir.path, 'victim'), join(dir.path, 'hosts'));
  const error = await writeOwnFile(dir.path, 'hosts', 'x\n').then(
    () => undefined,
    (e: Error) => e.message,
  );
  assert.match(error ?? '', 'is a symbolic link');
  assert.match(
    await readOwnText(dir.path, 'hosts').then(
      () => '',
      (e: Error) => e.message,
    ),
    'is a symbolic link',
  );
  assert.is(readFileSync(join(dir.path, 'victim'), 'utf8'), 'keep me\n');
});

test.run();
