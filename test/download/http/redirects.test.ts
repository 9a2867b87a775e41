import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { fetchArtifact } from '../../../lib/download/index.js';
import { redirectTarget } from '../../../lib/download/http/redirects.js';
import { TransferError } from '../../../lib/download/http/transfer-error.js';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { downloadFixture, fileName, type DownloadFixture } from '../../helpers/download-fixture.js';

const target = suite('redirectTarget');

for (const [from, location, start, expected] of [
  ['https://h.example/a/x.img', 'y.img', 'https://h.example/a/x.img', 'https://h.example/a/y.img'],
  ['https://h.example/a/x.img', '/pool/x.img', 'https://h.example/a/x.img', 'https://h.example/pool/x.img'],
  ['https://h.example/a/x.img', '//cdn.example/x.img#part', 'https://h.example/a/x.img', 'https://cdn.example/x.img'],
  [
    'http://mirror.lan/h.example/x.img',
    'http://other.lan/x.img',
    'http://mirror.lan/h.example/x.img',
    'http://other.lan/x.img',
  ],
  [
    'http://mirror.lan/h.example/x.img',
    'https://secure.example/x.img',
    'http://mirror.lan/h.example/x.img',
    'https://secure.example/x.img',
  ],
] as const) {
  target(`${location} from ${from} leads to ${expected}`, () => {
    assert.is(redirectTarget(new URL(from), location, new URL(start), 302).href, expected);
  });
}

for (const [why, from, location, start] of [
  ['https to plain http', 'https://h.example/x.img', 'http://h.example/x.img', 'https://h.example/x.img'],
  [
    'plain http after an https start',
    'https://cdn.example/x.img',
    'http://plain.example/x.img',
    'https://h.example/x.img',
  ],
  ['a non-http scheme', 'https://h.example/x.img', 'ftp://h.example/x.img', 'https://h.example/x.img'],
  ['a missing Location', 'https://h.example/x.img', undefined, 'https://h.example/x.img'],
] as const) {
  target(`refuses ${why}`, () => {
    assert.throws(
      () => redirectTarget(new URL(from), location, new URL(start), 302),
      (e: unknown) => e instanceof TransferError && !e.retryable,
    );
  });
}
target.run();

const test = suite('downloads through redirects');

async function withFixture(run: (f: DownloadFixture) => Promise<void>): Promise<void> {
  const f = await downloadFixture(2 << 20);
  try {
    await run(f);
  } finally {
    await f.dispose();
  }
}

const pool = `/pool/${fileName}`;
const sumsPath = (f: DownloadFixture) => f.path.replace(fileName, 'SHA256SUMS');
const requestsTo = (f: DownloadFixture, path: string) => f.server.requests.filter((r) => r.path === path);

// The file and its SHA256SUMS also live under /pool/, where the mirror's URLs redirect; the file
// there has its own ETag.
const poolEtag = '"pool-etag"';
function movePool(f: DownloadFixture): void {
  f.server.put(pool, f.body, poolEtag);
  f.server.put('/pool/SHA256SUMS', `${f.sha256} *${fileName}\n`);
  f.server.always(sumsPath(f), { redirect: '/pool/SHA256SUMS', code: 303 });
}

test('relative and absolute redirects are followed to the file, and a rerun checks SHA256SUMS at its final URL', () =>
  withFixture(async (f) => {
    movePool(f);
    f.server.always(f.path, { redirect: '../../../hop', code: 308 });
    f.server.always('/hop', { redirect: `${f.server.url}pool/${fileName}`, code: 307 });
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'downloaded');
    assert.is(result.url, f.url, 'the result names the upstream URL, not where it was redirected');
    assert.ok((await readFile(result.path)).equals(f.body));
    assert.equal(
      [f.path, '/hop', pool].map((p) => requestsTo(f, p).map((r) => r.status)),
      [[308], [307], [200]],
    );

    const again = await fetchArtifact({ url: f.url }, f.options);
    assert.is(again.status, 'cached');
    const [, second] = requestsTo(f, '/pool/SHA256SUMS');
    assert.ok(second!.headers['if-none-match'], 'the validators of the final SHA256SUMS are sent');
    assert.is(second!.status, 304);
    assert.is(requestsTo(f, pool).length, 1);
  }));

test('a download resumed through a redirect sends Range and If-Range to the final URL', () =>
  withFixture(async (f) => {
    movePool(f);
    f.server.always(f.path, { redirect: pool });
    f.server.fault(pool, { dropAfter: 1 << 20 });
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.sha256, f.sha256);
    assert.is(result.transferred, f.body.length, 'nothing transferred twice');
    const [first, second] = requestsTo(f, pool);
    assert.is(first!.bytes, 1 << 20);
    assert.is(second!.headers.range, `bytes=${1 << 20}-`);
    assert.is(second!.headers['if-range'], poolEtag);
    assert.is(second!.status, 206, "If-Range held: it carried the final URL's own validator");
  }));

for (const [hops, ok] of [
  [5, true],
  [6, false],
] as const) {
  test(`a chain of ${hops} redirects ${ok ? 'is followed' : 'fails without a retry, naming where it started'}`, () =>
    withFixture(async (f) => {
      // f.path → /r1 → … → /r(hops-1) → /copy/…: `hops` redirects in all
      const copy = `/copy${f.path}`;
      const chain = [f.path, ...Array.from({ length: hops - 1 }, (_, i) => `/r${i + 1}`)];
      chain.forEach((hop, i) => {
        f.server.always(hop, { redirect: chain[i + 1] ?? copy });
      });
      f.server.put(copy, f.body);
      try {
        const result = await fetchArtifact({ url: f.url }, f.options);
        assert.ok(ok, 'expected a failure');
        assert.is(result.sha256, f.sha256);
      } catch (error) {
        if (ok) throw error;
        assert.instance(error, KubenetError);
        const e = error as KubenetError;
        assert.is(e.code, ExitCode.download);
        assert.match(e.message, 'more than 5 redirects');
        assert.match(e.message, `${f.server.url}${f.path.slice(1)}`);
        assert.match(e.hint ?? '', 'redirect');
        assert.is(requestsTo(f, f.path).length, 1, 'not retried');
      }
    }));
}

test('a redirect without Location is an error naming the status', () =>
  withFixture(async (f) => {
    f.server.always(f.path, { status: 302 });
    try {
      await fetchArtifact({ url: f.url }, f.options);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, KubenetError);
      assert.match((error as Error).message, 'HTTP 302');
      assert.is(requestsTo(f, f.path).length, 1);
    }
  }));

test.run();
