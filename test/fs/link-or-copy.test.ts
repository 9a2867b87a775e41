import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  link,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { linkOrCopy } from '../../lib/fs/link-or-copy.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('linkOrCopy');
let dir: ReturnType<typeof tempDir>;
let from: string;
const body = randomBytes(200_000);
test.before.each(() => {
  dir = tempDir('kubenet-link-');
  from = join(dir.path, 'source.img');
  writeFileSync(from, body);
  chmodSync(from, 0o640);
});
test.after.each(() => dir.remove());

const unchanged = (before: import('node:fs').Stats) => {
  const after = statSync(from);
  assert.equal(
    [after.ino, after.mtimeMs, after.mode & 0o777],
    [before.ino, before.mtimeMs, before.mode & 0o777],
    'the source is untouched',
  );
};

test('on the same file system: a hard link, the source untouched (its mode too)', async () => {
  const before = statSync(from);
  const to = join(dir.path, 'to.img');
  assert.is(await linkOrCopy(from, to, { replace: false }), 'linked');
  assert.is(statSync(to).ino, before.ino);
  unchanged(before);
});

test(
  'replace: false keeps what is there; replace: true ' + 'renames over it, and a link to the old file keeps it',
  async () => {
    const to = join(dir.path, 'to.img');
    writeFileSync(to, 'old');
    const pin = join(dir.path, 'pin.img');
    await promisify(link)(to, pin);
    assert.is(await linkOrCopy(from, to, { replace: false }), 'exists');
    assert.is(readFileSync(to, 'utf8'), 'old');
    assert.is(await linkOrCopy(from, to, { replace: true }), 'linked');
    assert.ok(readFileSync(to).equals(body));
    assert.is(readFileSync(pin, 'utf8'), 'old', 'the old file was never written into');
    assert.equal(readdirSync(dir.path).sort(), ['pin.img', 'source.img', 'to.img'], 'no temp file left');
  },
);

test('a source given through a symbolic link: its file is linked, not the link', async () => {
  const alias = join(dir.path, 'alias.img');
  symlinkSync(from, alias);
  const to = join(dir.path, 'to.img');
  await linkOrCopy(alias, to, { replace: true });
  assert.ok(statSync(to).isFile());
  assert.is(statSync(to).ino, statSync(from).ino);
});

const shm = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
testWhen(
  test,
  shm,
  'no /dev/shm on another file system than the temp folder',
  'across file systems: a whole copy with the mode asked for, the source untouched',
  async () => {
    const away = mkdtempSync('/dev/shm/kubenet-link-');
    try {
      const before = statSync(from);
      const to = join(away, 'to.img');
      assert.is(await linkOrCopy(from, to, { replace: true, mode: 0o444 }), 'copied');
      assert.ok(readFileSync(to).equals(body));
      assert.is(statSync(to).mode & 0o777, 0o444);
      unchanged(before);
    } finally {
      rmSync(away, { recursive: true, force: true });
    }
  },
);

test.run();
