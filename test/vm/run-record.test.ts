// vm/<name>/run.json: written whole, read back; anything else there reads as no record.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { readRunRecord, writeRunRecord, type RunRecord } from '../../lib/vm/run-record.js';
import { tempImages, type TempImages } from '../helpers/vm-qemu.js';

const test = suite('run-record');
let images: TempImages;
test.before.each(async () => {
  images = await tempImages();
});
test.after.each(() => images.cleanup());

test('what is written is read back', async () => {
  const record: RunRecord = { kubenet: 4242, detached: true, console: 'headless', startedAt: '2026-11-26T12:00:00.000Z' };
  await writeRunRecord(images.paths, 'ubuntu0', record);
  assert.equal(await readRunRecord(images.paths, 'ubuntu0'), record);
});

test('no record, or one that is not kubenet\'s, reads as none', async () => {
  assert.is(await readRunRecord(images.paths, 'ubuntu0'), undefined);
  await writeRunRecord(images.paths, 'ubuntu0', { kubenet: 1, detached: false, console: 'terminal', startedAt: 'x' });
  await writeFile(images.paths.vmFile('ubuntu0', 'run.json'), '{"kubenet": "me"}');
  assert.is(await readRunRecord(images.paths, 'ubuntu0'), undefined);
  await writeFile(images.paths.vmFile('ubuntu0', 'run.json'), 'not json');
  assert.is(await readRunRecord(images.paths, 'ubuntu0'), undefined);
});

test.run();
