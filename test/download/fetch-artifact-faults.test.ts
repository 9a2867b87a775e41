// fetchArtifact against hostile servers, written byte by byte: every failure ends, within a bound
// stated in each test (with small tunables), with an exact error and a known state of every file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { fetchArtifact } from '../../lib/download/index.js';
import type { FetchOptions, FetchResult } from '../../lib/download/types.js';
import { downloadFixture, fileName, upstreamDir, type DownloadFixture } from '../helpers/download-fixture.js';
import { oneByteAtATime, publish, rawHead, startNeverAccepting } from '../helpers/fault-server.js';
import { freePort } from '../../lib/ssh/free-port.js';
import { rejection } from '../helpers/rejection.js';
import { within } from '../helpers/within.js';

const test = suite('fetchArtifact against hostile servers');
const MiB = 1 << 20;

async function withFixture(run: (f: DownloadFixture) => Promise<void>, size = 2 * MiB): Promise<void> {
  const f = await downloadFixture(size);
  try {
    await run(f);
  } finally {
    await f.dispose();
  }
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const fileRequests = (f: DownloadFixture) => f.server.requests.filter((r) => r.path === f.path);
const sumsPath = (f: DownloadFixture) => f.path.replace(fileName, 'SHA256SUMS');
const fetchWithin = (ms: number, f: DownloadFixture, extra: Partial<FetchOptions> = {}) =>
  within(ms, 'the download', (signal) => fetchArtifact({ url: f.url }, { ...f.options, signal, ...extra }));

const failure = (promise: Promise<unknown>) => rejection(promise, KubenetError);

// No final file, no lock, no breaker: a failed download leaves only what resumes.
function assertNothingFinalNorLocked(f: DownloadFixture): void {
  assert.not.ok(existsSync(f.paths.artifact(fileName)), 'no final file');
  assert.not.ok(existsSync(f.paths.lock(`download-${fileName}`)), 'no lock left');
  assert.not.ok(existsSync(`${f.paths.lock(`download-${fileName}`)}.break`), 'no breaker left');
}

// — Retry loops (issue 9 item 4) —

test(
  '200 with Content-Length N+1000 and N bytes, always: ' + 'gives up after the retries without progress (bound 10 s)',
  () =>
    withFixture(async (f) => {
      f.server.always(f.path, { raw: (body) => [rawHead(200, [['Content-Length', body!.length + 1000]]), body!] });
      const error = await failure(fetchWithin(10_000, f));
      assert.is(error.code, ExitCode.download);
      assert.match(error.message, `cannot download ${f.server.url}`);
      assert.match(error.message, 'connection closed 1000 bytes before the end of the body');
      assert.match(error.message, 'gave up after 3 retries without progress');
      assert.is(fileRequests(f).length, 4, 'one that kept bytes, then the retries, which brought nothing new');
      assert.is(
        (await stat(f.paths.partial(fileName))).size,
        f.body.length,
        'the bytes received are kept for a resume',
      );
      assertNothingFinalNorLocked(f);
    }),
);

test('a malformed chunked body is a protocol error: not retried (bound 10 s)', () =>
  withFixture(async (f) => {
    f.server.always(f.path, {
      raw: (body) => [rawHead(200, [['Transfer-Encoding', 'chunked']]), `10\r\n`, body!.subarray(0, 16), '\r\nzz\r\n'],
    });
    const error = await failure(fetchWithin(10_000, f));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, 'malformed chunked body: bad chunk size "zz"');
    assert.is(fileRequests(f).length, 1);
    assertNothingFinalNorLocked(f);
  }));

for (const [value, why] of [
  ['abc', 'not a number'],
  ['5, 6', 'two different lengths'],
] as const) {
  test(`Content-Length "${value}" (${why}) is a protocol error: not retried (bound 10 s)`, () =>
    withFixture(async (f) => {
      f.server.always(f.path, { raw: (body) => [rawHead(200, [['Content-Length', value]]), body!] });
      const error = await failure(fetchWithin(10_000, f));
      assert.is(error.code, ExitCode.download);
      assert.match(error.message, `malformed Content-Length "${value}"`);
      assert.is(fileRequests(f).length, 1);
      assertNothingFinalNorLocked(f);
    }));
}

test('two Content-Length fields that disagree are a protocol error', () =>
  withFixture(async (f) => {
    f.server.always(f.path, {
      raw: (body) => [
        rawHead(200, [
          ['Content-Length', body!.length],
          ['Content-Length', body!.length + 1],
        ]),
        body!,
      ],
    });
    const error = await failure(fetchWithin(10_000, f));
    assert.match(error.message, `malformed Content-Length "${f.body.length}, ${f.body.length + 1}"`);
    assert.is(fileRequests(f).length, 1);
  }));

test('Content-Length "N, N" (the same length twice) is read as N, as RFC 9112 allows', () =>
  withFixture(async (f) => {
    f.server.always(f.path, {
      raw: (body) => [rawHead(200, [['Content-Length', `${body!.length}, ${body!.length}`]]), body!],
    });
    const result = await fetchWithin(10_000, f);
    assert.is(result.sha256, f.sha256);
  }));

test('a wrong Content-Range, always: the bytes are not kept, and it gives up after the retries (bound 10 s)', () =>
  withFixture(async (f) => {
    f.server.always(f.path, {
      raw: (body) => [
        rawHead(206, [
          ['Content-Length', body!.length - 5],
          ['Content-Range', `bytes 5-${body!.length - 1}/${body!.length}`],
        ]),
        body!.subarray(5),
      ],
    });
    const error = await failure(fetchWithin(10_000, f));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, 'unexpected Content-Range "bytes 5-');
    assert.is(fileRequests(f).length, 4, 'retries + 1');
    assertNothingFinalNorLocked(f);
  }));

test('416 to a resumed download restarts it once; 416 to a request without Range is not retried (bound 10 s)', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { dropAfter: MiB });
    await failure(fetchArtifact({ url: f.url }, { ...f.options, retries: 0 }));
    f.server.always(f.path, { status: 416 });
    const error = await failure(fetchWithin(10_000, f));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, 'HTTP 416 to a request without Range');
    const [, resumed, fresh] = fileRequests(f);
    assert.is(resumed!.headers.range, `bytes=${MiB}-`);
    assert.is(fresh!.headers.range, undefined);
    assert.is(fileRequests(f).length, 3);
    assertNothingFinalNorLocked(f);
  }));

test('a download that keeps progressing stops at the cap on attempts per artifact (bound 10 s)', () =>
  withFixture(async (f) => {
    f.server.always(f.path, { dropAfter: 128 * 1024 });
    const error = await failure(fetchWithin(10_000, f, { maxAttempts: 4 }));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, 'gave up after 4 attempts, the limit per download');
    assert.is(fileRequests(f).length, 4);
    assert.is((await stat(f.paths.partial(fileName))).size, 4 * 128 * 1024, 'what arrived is kept');
    assert.match(error.hint ?? '', 'Run again to resume');
    assertNothingFinalNorLocked(f);
  }));

test('a download that keeps progressing stops at the cap on time per artifact (bound 10 s)', () =>
  withFixture(async (f) => {
    f.server.always(f.path, { trickle: { bytes: 16 * 1024, everyMs: 20 } });
    const error = await failure(fetchWithin(10_000, f, { maxMs: 500 }));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, 'took longer than 0.5 s, the limit per download');
    assert.ok((await stat(f.paths.partial(fileName))).size > 0, 'what arrived is kept');
    assertNothingFinalNorLocked(f);
  }));

// — Deadlines (item 6) —

test('a response head trickled one byte at a time hits the head deadline (bound 10 s)', () =>
  withFixture(async (f) => {
    const endless = `HTTP/1.1 200 OK\r\n${'X-Pad: a\r\n'.repeat(100)}`;
    f.server.always(f.path, { raw: () => oneByteAtATime(endless, 20) });
    const error = await failure(fetchWithin(10_000, f, { headMs: 300, retries: 1 }));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, 'no complete response head within 0.3 s');
    assert.is(fileRequests(f).length, 2);
    assertNothingFinalNorLocked(f);
  }));

test('a body trickled one byte at a time is a stall, and its bytes are no progress (bound 10 s)', () =>
  withFixture(async (f) => {
    f.server.always(f.path, {
      raw: (body) => [
        rawHead(200, [['Content-Length', body!.length]]),
        ...oneByteAtATime(body!.subarray(0, 200).toString('latin1'), 20),
      ],
    });
    const error = await failure(fetchWithin(10_000, f, { stallMs: 300, minBytesPerSecond: 1024, retries: 1 }));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, /stalled: \d+ bytes in 0.3 s \(less than 1024 bytes\/s\)/);
    assert.is(fileRequests(f).length, 2);
    assertNothingFinalNorLocked(f);
  }));

// Issue 19 §5: a body that went silent just after a progress window began was noticed only at the
// end of the next one — up to two windows after its last byte. Now: one window after it.
test('a body that goes silent is a stall one stallMs after its last byte, not two (bound 10 s)', () =>
  withFixture(async (f) => {
    const stallMs = 3_000;
    let lastByteAt = 0;
    f.server.always(f.path, {
      raw: (body) => [
        rawHead(200, [['Content-Length', body!.length]]),
        { waitMs: 100 },
        body!.subarray(0, 100_000),
        'hang',
      ],
    });
    const started = performance.now();
    const error = await failure(
      fetchWithin(10_000, f, {
        stallMs,
        minBytesPerSecond: 1024,
        retries: 0,
        onProgress: () => (lastByteAt = performance.now()),
        progressMs: 0,
      }),
    );
    const afterLastByte = performance.now() - (lastByteAt || started);
    assert.ok(lastByteAt > 0, 'the first bytes arrived');
    assert.ok(
      afterLastByte < stallMs + 1_500,
      `noticed ${afterLastByte.toFixed(0)} ms after the last byte (two windows would be ~${2 * stallMs} ms)`,
    );
    assert.ok(afterLastByte >= stallMs - 50, `not before the bound (${afterLastByte.toFixed(0)} ms)`);
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, 'stalled: no data for 3 s');
  }));

// — Bounds on size (issue 19 §5): a body that never ends fills the disk no more —

// A body with no Content-Length (it ends when the connection closes): `bytes` of it, then silence.
const endless = (bytes: number) => ({
  raw: () => [
    rawHead(200, [['Connection', 'close']]),
    ...Array.from({ length: bytes / (64 << 10) }, () => Buffer.alloc(64 << 10, 7)),
    'hang' as const,
  ],
});
const fetchCapped = (f: DownloadFixture, maxBytes: number, extra: Partial<FetchOptions> = {}) =>
  within(10_000, 'the download', (signal) =>
    fetchArtifact({ url: f.url, maxBytes }, { ...f.options, signal, ...extra }),
  );

test(
  'a body with no Content-Length that goes past the ceiling stops there ' +
    'and its partial is deleted; the next run is not blocked (bound 10 s)',
  () =>
    withFixture(async (f) => {
      f.server.always(f.path, endless(8 * MiB));
      const error = await failure(fetchCapped(f, 2 * MiB));
      assert.is(error.code, ExitCode.download);
      assert.match(
        error.message,
        `${fileName}: the server sent more than 2.0 MiB, the most this download ` +
          `can be, and had not ended: stopped, and the partial download deleted`,
      );
      assert.is(fileRequests(f).length, 1, 'not retried');
      assert.not.ok(existsSync(f.paths.partial(fileName)), 'no junk partial');
      assert.not.ok(existsSync(f.paths.partialMeta(fileName)), 'no partial record');
      assertNothingFinalNorLocked(f);
      f.server.always(f.path, undefined);
      const result = await fetchCapped(f, 2 * MiB);
      assert.is(result.sha256, f.sha256);
    }, MiB),
);

test('a Content-Length past the ceiling is refused before a byte is written', () =>
  withFixture(async (f) => {
    const error = await failure(fetchCapped(f, MiB));
    assert.is(error.code, ExitCode.download);
    assert.match(
      error.message,
      `${fileName}: the server announces 2.0 MiB, more than 1.0 MiB, the most this download can be: not downloaded`,
    );
    assert.not.ok(existsSync(f.paths.partial(fileName)));
    assertNothingFinalNorLocked(f);
  }));

// The free-space reserve, on a disk small enough to reach it: cli/download-bounds.test.ts.

// — A verified copy and an unreachable upstream (item 7) —

async function cachedThen(f: DownloadFixture): Promise<FetchResult> {
  const first = await fetchArtifact({ url: f.url }, f.options);
  f.logs.length = 0;
  return first;
}

test(
  'with a verified copy cached, a SHA256SUMS server that ' +
    'accepts and never answers costs one short check (bound 5 s)',
  () =>
    withFixture(async (f) => {
      const first = await cachedThen(f);
      f.server.always(sumsPath(f), { raw: () => ['hang'] });
      const result = await fetchWithin(5_000, f, { checkMs: 500 });
      assert.is(result.status, 'cached');
      assert.is(result.sha256, first.sha256);
      assert.equal(f.logs, [
        `${fileName}: could not check upstream (no answer from ` +
          `${f.server.url}${sumsPath(f).slice(1)} within 0.5 s); using the verified copy in the cache`,
      ]);
      assert.is(f.server.requests.filter((r) => r.path === sumsPath(f)).length, 2, 'one check, not retried');
    }),
);

test('with a verified copy cached, a mirror that never accepts costs one short check (bound 5 s)', () =>
  withFixture(async (f) => {
    await cachedThen(f);
    const blackhole = await startNeverAccepting();
    try {
      const result = await fetchWithin(5_000, f, { checkMs: 500, mirror: blackhole.url });
      assert.is(result.status, 'cached');
      assert.match(
        f.logs.join('\n'),
        /could not check upstream \(no answer from .* within 0.5 s\); using the verified copy/,
      );
    } finally {
      blackhole.close();
    }
  }));

test(
  'with nothing cached, a mirror that never accepts fails after ' +
    'the retries, each bounded by the head deadline (bound 5 s)',
  () =>
    withFixture(async (f) => {
      const blackhole = await startNeverAccepting();
      try {
        const error = await failure(fetchWithin(5_000, f, { headMs: 300, retries: 1, mirror: blackhole.url }));
        assert.is(error.code, ExitCode.download);
        assert.is(
          error.message,
          `cannot reach ${new URL(blackhole.url).host}: no connection ` +
            `within 0.3 s; gave up after 1 retry without progress`,
        );
        assert.match(error.hint ?? '', 'never accepted the connection');
        assert.match(error.hint ?? '', `That is the mirror ${blackhole.url}`);
        assertNothingFinalNorLocked(f);
      } finally {
        blackhole.close();
      }
    }),
);

// Issue 18 §4: a host that cannot be reached is named as such, never as a server that "breaks HTTP".
test('a refused connection is named, with what helps (bound 5 s)', () =>
  withFixture(async (f) => {
    const closed = await freePort();
    const error = await failure(fetchWithin(5_000, f, { retries: 1, mirror: `http://127.0.0.1:${closed}/` }));
    assert.is(error.code, ExitCode.download);
    assert.is(
      error.message,
      `cannot reach 127.0.0.1:${closed}: connection refused (nothing ` +
        `listens there); gave up after 1 retry without progress`,
    );
    assert.match(
      error.details ?? '',
      `fetching http://127.0.0.1:${closed}/cloud-images.example.test/jammy/current/SHA256SUMS`,
    );
    for (const way of ['kubenet import FILE', '--offline', '--mirror BASE', 'https_proxy'])
      assert.match(error.hint ?? '', way);
    assert.not.match(error.hint ?? '', 'breaks HTTP');
    assertNothingFinalNorLocked(f);
  }));

// — Smaller ones (item 10) —

test('a download that restarted from zero is reported as downloaded, not resumed', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { dropAfter: MiB });
    await failure(fetchArtifact({ url: f.url }, { ...f.options, retries: 0 }));
    f.server.fault(f.path, { ignoreRange: true });
    const result = await fetchWithin(10_000, f);
    assert.is(result.status, 'downloaded');
    assert.is(result.sha256, f.sha256);
  }));

test('a complete partial left by a run killed before the rename is finished without the network', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { dropAfter: MiB });
    await failure(fetchArtifact({ url: f.url }, { ...f.options, retries: 0 }));
    const { writeFile, chmod } = await import('node:fs/promises');
    await writeFile(f.paths.partial(fileName), f.body); // all of it, made read-only, not yet renamed
    await chmod(f.paths.partial(fileName), 0o444);
    const before = fileRequests(f).length;
    const result = await fetchWithin(10_000, f);
    assert.is(result.status, 'resumed');
    assert.is(fileRequests(f).length, before, 'no byte transferred again');
    assert.ok((await readFile(result.path)).equals(f.body));
  }));

test('a mirror with a ?query is refused before any request, naming it', () =>
  withFixture(async (f) => {
    const error = await failure(fetchWithin(5_000, f, { mirror: `${f.server.url}base/?token=abc` }));
    assert.is(error.code, ExitCode.usage);
    assert.match(error.message, `the mirror ${f.server.url}base/?token=abc has a ?query or #fragment`);
    assert.is(f.server.requests.length, 0);
  }));

test('a mirror password never appears in errors or notices, and is sent as Basic auth', () =>
  withFixture(async (f) => {
    const mirror = f.server.url.replace('http://', 'http://learner:s3cret@');
    f.server.always(f.path, { status: 404 });
    const error = await failure(fetchWithin(5_000, f, { mirror }));
    const shown = [error.message, error.hint, ...f.logs].join('\n');
    assert.not.match(shown, 's3cret');
    assert.match(error.message, f.server.url.replace('http://', 'http://***@'));
    assert.is(fileRequests(f)[0]!.headers.authorization, `Basic ${Buffer.from('learner:s3cret').toString('base64')}`);
  }));

test('SHA256SUMS with a byte-order mark is read', () =>
  withFixture(async (f) => {
    publish(f.server, upstreamDir, fileName, f.body, `\uFEFF${f.sha256} *${fileName}\r\n`);
    const result = await fetchWithin(10_000, f);
    assert.is(result.sha256, f.sha256);
  }));

test('SHA256SUMS listing two different digests for the file is an error, and nothing is downloaded', () =>
  withFixture(async (f) => {
    publish(f.server, upstreamDir, fileName, f.body, `${f.sha256} *${fileName}\n${sha('other')}  ./${fileName}\n`);
    const error = await failure(fetchWithin(10_000, f));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, `lists two different digests for ${fileName}: ${f.sha256} and ${sha('other')}`);
    assert.is(fileRequests(f).length, 0);
    assertNothingFinalNorLocked(f);
  }));

test('a redirect to https on a plain-http port is not retried, and says what is wrong in words', () =>
  withFixture(async (f) => {
    const port = new URL(f.server.url).port;
    f.server.always(f.path, { redirect: `https://127.0.0.1:${port}/tls${f.path}` });
    const error = await failure(fetchWithin(10_000, f));
    assert.is(error.code, ExitCode.download);
    assert.match(
      error.message,
      `TLS handshake with 127.0.0.1:${port} failed: the server ` +
        `answered in plain HTTP, not TLS (redirected from ${f.server.url}`,
    );
    assert.not.match(error.message, 'ssl3_get_record');
    assert.is(fileRequests(f).length, 1, 'not retried');
    assertNothingFinalNorLocked(f);
  }));

test.run();
