// vm/<name>/run.json: written whole, read back; anything else there reads as no record.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRunRecord, writeRunRecord, type RunRecord } from '../../lib/vm/run-record.js';
import { tempImages, type TempImages } from '../helpers/vm-qemu.js';

const test = suite('run-record');
let images: TempImages;
test.before.each(async () => {
  images = await tempImages();
});
test.after.each(() => images.cleanup());

test('what is written is read back', async () => {
  const record: RunRecord = {
    kubenet: 4242,
    detached: true,
    console: 'headless',
    startedAt: '2026-11-26T12:00:00.000Z',
  };
  await writeRunRecord(images.paths, 'ubuntu0', record);
  assert.equal(await readRunRecord(images.paths, 'ubuntu0'), record);
});

test("no record, or one that is not kubenet's, reads as none", async () => {
  assert.is(await readRunRecord(images.paths, 'ubuntu0'), undefined);
  await writeRunRecord(images.paths, 'ubuntu0', { kubenet: 1, detached: false, console: 'terminal', startedAt: 'x' });
  await writeFile(images.paths.vmFile('ubuntu0', 'run.json'), '{"kubenet": "me"}');
  assert.is(await readRunRecord(images.paths, 'ubuntu0'), undefined);
  await writeFile(images.paths.vmFile('ubuntu0', 'run.json'), 'not json');
  assert.is(await readRunRecord(images.paths, 'ubuntu0'), undefined);
});

test('a link planted in its place is refused and its target left alone', async () => {
  const victim = join(images.root, 'victim.json');
  const record = '{"kubenet": 1, "detached": true, "startedAt": "2026-11-26T12:00:00.000Z"}';
  await writeFile(victim, record);
  await writeRunRecord(images.paths, 'ubuntu0', { kubenet: 2, detached: false, console: 'terminal', startedAt: 'x' });
  await rm(images.paths.vmFile('ubuntu0', 'run.json'));
  await symlink(victim, images.paths.vmFile('ubuntu0', 'run.json'));
  const read = await readRunRecord(images.paths, 'ubuntu0').then(
    () => 'read through the link',
    (error: Error) => error.message,
  );
  assert.match(read, 'run record');
  const wrote = await writeRunRecord(images.paths, 'ubuntu0', {
    kubenet: 3,
    detached: true,
    console: 'headless',
    startedAt: 'y',
  }).then(
    () => 'wrote',
    (error: Error) => error.message,
  );
  assert.is.not(wrote, 'wrote');
  assert.is(await readFile(victim, 'utf8'), record);
});

test.run();
