import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSha256Sums } from '../../../lib/download/verify/sha256sums.js';

const test = suite('parseSha256Sums');
const a = 'a'.repeat(64);
const b = 'B'.repeat(64);

test('reads binary and text entries and ignores other lines', () => {
  const parsed = parseSha256Sums(`${a} *jammy-desktop-arm64.iso\n${b}  ./jammy-server-cloudimg-arm64.img\n-----BEGIN PGP-----\n\n`);
  assert.equal([...parsed], [['jammy-desktop-arm64.iso', [a]], ['jammy-server-cloudimg-arm64.img', [b.toLowerCase()]]]);
});

test('reads a file with a byte-order mark and CRLF line ends', () => {
  assert.equal([...parseSha256Sums(`\uFEFF${a} *x.img\r\n${b} *y.img\r\n`)], [['x.img', [a]], ['y.img', [b.toLowerCase()]]]);
});

test('keeps every different digest listed for one name, and one digest listed twice once', () => {
  assert.equal(parseSha256Sums(`${a} *x.img\n${b}  ./x.img\n${a} *x.img\n`).get('x.img'), [a, b.toLowerCase()]);
  assert.equal(parseSha256Sums(`${a} *x.img\n${a.toUpperCase()}  x.img\n`).get('x.img'), [a]);
});

test.run();
