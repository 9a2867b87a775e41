import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIso } from '../../lib/iso/build-iso.js';
import { tempPathFor, writeIso } from '../../lib/iso/write-iso.js';
import { isKubenetError } from '../../lib/errors.js';

const files = [
  { name: 'user-data', data: '#cloud-config\npassword: ubuntu\n' },
  { name: 'meta-data', data: 'instance-id: ubuntu0\n' },
];

const test = suite('writeIso');
let dir = '';

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubenet-iso-'));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('writes exactly the bytes buildIso returns and leaves no temp file', async () => {
  const path = join(dir, 'cidata.iso');
  await writeIso(path, files, { volumeId: 'cidata' });
  assert.ok((await readFile(path)).equals(buildIso(files, { volumeId: 'cidata' })));
  assert.equal(await readdir(dir), ['cidata.iso']);
});

test('replaces an existing image as a whole', async () => {
  const path = join(dir, 'cidata.iso');
  await writeFile(path, 'old seed');
  await writeIso(path, files, { volumeId: 'cidata' });
  assert.ok((await readFile(path)).equals(buildIso(files, { volumeId: 'cidata' })));
  assert.equal(await readdir(dir), ['cidata.iso']);
});

test('a folder that does not exist gives a KubenetError that says what to check', async () => {
  const path = join(dir, 'missing', 'cidata.iso');
  try {
    await writeIso(path, files, { volumeId: 'cidata' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.ok(isKubenetError(error), String(error));
    assert.ok(error.message.includes(path));
    assert.ok(error.hint?.includes(join(dir, 'missing')));
    assert.ok(error.cause);
  }
  assert.equal(await readdir(dir), []);
});

test('when the rename fails the temp file is removed and the target is untouched', async () => {
  // a directory under the final name makes rename() fail after the temp file is complete
  const path = join(dir, 'cidata.iso');
  await writeFile(join(dir, 'keep'), 'x');
  await mkdir(path);
  await writeFile(join(path, 'inside'), 'still here');
  try {
    await writeIso(path, files, { volumeId: 'cidata' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.ok(isKubenetError(error), String(error));
  }
  assert.equal((await readdir(dir)).sort(), ['cidata.iso', 'keep']);
  assert.equal(await readdir(path), ['inside']);
});

test('an invalid file list fails before anything is written', async () => {
  const path = join(dir, 'cidata.iso');
  try {
    await writeIso(path, [{ name: 'a/b', data: '' }], { volumeId: 'cidata' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.ok(isKubenetError(error), String(error));
  }
  assert.equal(await readdir(dir), []);
});

test('temp names sit beside the target, hidden, and differ between calls', () => {
  const a = tempPathFor('/images/cidata.iso');
  const b = tempPathFor('/images/cidata.iso');
  assert.match(a, /^\/images\/\.cidata\.iso\.\d+-[0-9a-f]{8}\.tmp$/);
  assert.is.not(a, b);
});

test.run();
