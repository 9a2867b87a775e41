import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { readJson, writeJson } from '../../lib/fs/json-file.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('json-file');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-json-');
});
test.after.each(() => dir.remove());

test('what writeJson wrote, readJson reads back', async () => {
  const path = join(dir.path, 'sub', 'record.json');
  await writeJson(path, { a: 1, b: ['x'] }, { root: dir.path });
  assert.equal(readJson(path), { a: 1, b: ['x'] });
  assert.equal(readJson(path, { own: 'record' }), { a: 1, b: ['x'] });
});

test('missing or torn reads as undefined, with or without `own`', () => {
  const torn = join(dir.path, 'torn.json');
  writeFileSync(torn, '{"a": 1, "b"');
  for (const path of [join(dir.path, 'none.json'), torn]) {
    assert.is(readJson(path), undefined);
    assert.is(readJson(path, { own: 'record' }), undefined);
  }
});

test('a link where kubenet keeps its own record is refused with `own`, never read through', () => {
  const victim = plantVictim(dir.path, 'victim.json');
  writeFileSync(victim.path, '{"secret": true}');
  const link = join(dir.path, 'record.json');
  symlinkSync(victim.path, link);
  assert.throws(
    () => readJson(link, { own: 'download record' }),
    (e: unknown) =>
      e instanceof KubenetError &&
      e.code === ExitCode.host &&
      e.message.includes('where kubenet keeps its own download record'),
  );
  assert.equal(readJson(link), { secret: true }, 'without `own` (a file kubenet only reads) a link is followed');
});

test('a folder where a file should be: undefined without `own`, refused with it', () => {
  const folder = join(dir.path, 'folder.json');
  mkdirSync(folder);
  assert.is(readJson(folder), undefined);
  assert.throws(
    () => readJson(folder, { own: 'record' }),
    (e: unknown) => e instanceof KubenetError && e.message.includes('is a folder where kubenet keeps its own record'),
  );
});

test.run();
