import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BodyDecoder, framingOf, type Framing } from '../../lib/download/body-decoder.js';
import { parseSha256Sums } from '../../lib/download/sha256sums.js';
import { fileNameOf, sumsUrlOf, upstreamUrl, viaMirror } from '../../lib/download/source-url.js';
import { cacheKey } from '../../lib/download/fetch-all.js';
import { plainProgress } from '../../lib/download/progress-lines.js';
import type { FetchResult } from '../../lib/download/types.js';
import { KubenetError } from '../../lib/errors.js';

const urls = suite('source URLs');
const cloud = 'https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img';

urls('the file name is the upstream basename and SHA256SUMS sits beside it', () => {
  assert.is(fileNameOf(cloud), 'jammy-server-cloudimg-arm64.img');
  assert.is(sumsUrlOf(cloud).href, 'https://cloud-images.ubuntu.com/jammy/current/SHA256SUMS');
});

for (const [mirror, expected] of [
  [undefined, cloud],
  ['http://cache.lan:8080', 'http://cache.lan:8080/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img'],
  ['https://m.example/ubuntu/', 'https://m.example/ubuntu/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img'],
] as const) {
  urls(`mirror ${mirror ?? '(none)'} maps https://HOST/PATH to BASE/HOST/PATH`, () => {
    assert.is(viaMirror(new URL(cloud), mirror).href, expected);
  });
}

for (const bad of ['http://cloud-images.ubuntu.com/x.img', 'ftp://h/x.img', 'https://h/', 'not a url']) {
  urls(`an upstream URL like ${bad} is refused`, () => {
    assert.throws(() => upstreamUrl(bad), (e: unknown) => e instanceof KubenetError);
  });
}

urls('a mirror must be http or https', () => {
  assert.throws(() => viaMirror(new URL(cloud), 'file:///srv/mirror'), (e: unknown) => e instanceof KubenetError);
});
urls.run();

const sums = suite('SHA256SUMS');
sums('reads binary and text entries and ignores other lines', () => {
  const a = 'a'.repeat(64);
  const b = 'B'.repeat(64);
  const parsed = parseSha256Sums(`${a} *jammy-desktop-arm64.iso\n${b}  ./jammy-server-cloudimg-arm64.img\n-----BEGIN PGP-----\n\n`);
  assert.equal([...parsed], [['jammy-desktop-arm64.iso', a], ['jammy-server-cloudimg-arm64.img', b.toLowerCase()]]);
});
sums.run();

const decoder = suite('HTTP body framing');
const decode = (framing: Framing, pieces: string[]) => {
  const out: string[] = [];
  const d = new BodyDecoder(framing, (chunk) => out.push(chunk.toString()));
  for (const piece of pieces) d.push(Buffer.from(piece));
  return { body: out.join(''), done: d.done };
};

decoder('a chunked body split at awkward places decodes whole', () => {
  assert.equal(decode({ kind: 'chunked' }, ['4\r', '\nWi', 'ki\r\n5;ext=1\r\npedia\r\n0\r\n', 'X-Trailer: 1\r\n\r\n']), { body: 'Wikipedia', done: true });
});
decoder('a length body stops at its length', () => {
  assert.equal(decode({ kind: 'length', length: 5 }, ['hel', 'lo world']), { body: 'hello', done: true });
});
decoder('a chunked body with a bad size line is an error', () => {
  assert.throws(() => decode({ kind: 'chunked' }, ['zz\r\n']));
});
for (const [status, headers, kind] of [
  [200, { 'content-length': '10' }, 'length'],
  [206, { 'transfer-encoding': 'chunked' }, 'chunked'],
  [200, {}, 'close'],
  [304, { 'content-length': '10' }, 'none'],
] as const) {
  decoder(`status ${status} with ${JSON.stringify(headers)} is framed as ${kind}`, () => {
    assert.is(framingOf(status, headers, 'GET').kind, kind);
  });
}
decoder.run();

const keys = suite('cacheKey');
const result = (name: string, sha256: string): FetchResult => ({ name, sha256, path: `/i/${name}`, url: `https://h/${name}`, size: 1, status: 'cached', transferred: 0 });
keys('is the same whatever the order, and changes with any digest', () => {
  const a = result('a.iso', '1'.repeat(64));
  const b = result('b.img', '2'.repeat(64));
  assert.is(cacheKey([a, b]), cacheKey([b, a]));
  assert.is.not(cacheKey([a, b]), cacheKey([a, result('b.img', '3'.repeat(64))]));
  assert.match(cacheKey([a]), /^kubenet-images-[0-9a-f]{32}$/);
});
keys.run();

const lines = suite('plainProgress');
lines('writes a line per quarter, not one per chunk', () => {
  const out: string[] = [];
  const onProgress = plainProgress((l) => out.push(l), (p) => `${p.received}`);
  for (let received = 0; received <= 1000; received += 10) onProgress({ file: 'f', received, total: 1000, bytesPerSecond: 1 });
  assert.equal(out, ['0', '250', '500', '750', '1000']);
});
lines.run();
