import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestIn, localSums, parseSha256Sums } from '../../../lib/download/verify/sha256sums.js';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { tempDir } from '../../helpers/tmp.js';

const test = suite('parseSha256Sums');
const a = 'a'.repeat(64);
const b = 'B'.repeat(64);

test('reads binary and text entries and ignores other lines', () => {
  const parsed = parseSha256Sums(
    `${a} *jammy-desktop-arm64.iso\n${b}  ./jammy-server-cloudimg-arm64.img\n-----BEGIN PGP-----\n\n`,
  );
  assert.equal(
    [...parsed],
    [
      ['jammy-desktop-arm64.iso', [a]],
      ['jammy-server-cloudimg-arm64.img', [b.toLowerCase()]],
    ],
  );
});

test('reads a file with a byte-order mark and CRLF line ends', () => {
  assert.equal(
    [...parseSha256Sums(`\uFEFF${a} *x.img\r\n${b} *y.img\r\n`)],
    [
      ['x.img', [a]],
      ['y.img', [b.toLowerCase()]],
    ],
  );
});

test('keeps every different digest listed for one name, and one digest listed twice once', () => {
  assert.equal(parseSha256Sums(`${a} *x.img\n${b}  ./x.img\n${a} *x.img\n`).get('x.img'), [a, b.toLowerCase()]);
  assert.equal(parseSha256Sums(`${a} *x.img\n${a.toUpperCase()}  x.img\n`).get('x.img'), [a]);
});

test('digestIn: the one digest listed for a name, none, or an error naming the file when it lists two', () => {
  assert.is(digestIn(`${a} *x.img\n`, 'x.img', 'SUMS'), a);
  assert.is(digestIn(`${a} *x.img\n`, 'y.img', 'SUMS'), undefined);
  assert.throws(
    () => digestIn(`${a} *x.img\n${b} *x.img\n`, 'x.img', '/m/SHA256SUMS'),
    (e: unknown) =>
      e instanceof KubenetError &&
      e.code === ExitCode.download &&
      e.message.startsWith('/m/SHA256SUMS lists two different digests for x.img'),
  );
});

test(
  'localSums: a SHA256SUMS file, or the one in a folder (none ' +
    'there is undefined; a --sums that is missing is an error)',
  async () => {
    const dir = tempDir('kubenet-sums-');
    try {
      assert.is(await localSums(dir.path, 'x.img', { folder: true }), undefined);
      writeFileSync(join(dir.path, 'SHA256SUMS'), `${a}  x.img\n`);
      assert.equal(await localSums(dir.path, 'x.img', { folder: true }), {
        from: join(dir.path, 'SHA256SUMS'),
        sha256: a,
      });
      assert.equal(await localSums(join(dir.path, 'SHA256SUMS'), 'y.img'), { from: join(dir.path, 'SHA256SUMS') });
      await localSums(join(dir.path, 'nope'), 'x.img').then(
        () => assert.unreachable(),
        (e: unknown) => assert.ok(e instanceof KubenetError && e.code === ExitCode.usage),
      );
    } finally {
      dir.remove();
    }
  },
);

test.run();
