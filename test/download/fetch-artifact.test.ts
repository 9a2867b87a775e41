import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { fetchArtifact } from '../../lib/download/index.js';
import { downloadFixture, fileName, type DownloadFixture } from '../helpers/download-fixture.js';
import { publish } from '../helpers/fault-server.js';
import { rejection as rejectionOf } from '../helpers/rejection.js';

const test = suite('fetchArtifact');

async function withFixture(run: (f: DownloadFixture) => Promise<void>, size?: number): Promise<void> {
  const f = await downloadFixture(size);
  try {
    await run(f);
  } finally {
    await f.dispose();
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fileRequests = (f: DownloadFixture) => f.server.requests.filter((r) => r.path === f.path);
const sumsRequests = (f: DownloadFixture) => f.server.requests.filter((r) => r.path.endsWith('/SHA256SUMS'));

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, KubenetError);

test('downloads through the mirror layout, verifies, and leaves a read-only file and no partial', () =>
  withFixture(async (f) => {
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'downloaded');
    assert.is(result.sha256, f.sha256);
    assert.is(result.size, f.body.length);
    assert.is(result.url, f.url);
    assert.ok((await readFile(result.path)).equals(f.body));
    assert.is((await stat(result.path)).mode & 0o777, 0o444);
    assert.not.ok(existsSync(f.paths.partial(fileName)));
    assert.not.ok(existsSync(f.paths.partialMeta(fileName)));
    assert.is(fileRequests(f).length, 1);
  }));

test('a rerun asks for SHA256SUMS conditionally and downloads nothing', () =>
  withFixture(async (f) => {
    await fetchArtifact({ url: f.url }, f.options);
    const again = await fetchArtifact({ url: f.url }, f.options);
    assert.is(again.status, 'cached');
    assert.is(again.transferred, 0);
    assert.is(fileRequests(f).length, 1);
    const second = sumsRequests(f)[1]!;
    assert.ok(second.headers['if-none-match']);
    assert.is(second.status, 304);
  }));

test('a connection dropped mid-body is resumed with Range and If-Range, without re-transferring', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { dropAfter: 1 << 20 });
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.sha256, f.sha256);
    const [first, second] = fileRequests(f);
    assert.is(first!.bytes, 1 << 20);
    assert.is(second!.headers.range, `bytes=${1 << 20}-`);
    assert.ok(second!.headers['if-range']);
    assert.is(second!.status, 206);
    assert.is(result.transferred, f.body.length);
  }));

test('a 500 is retried, then succeeds', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { status: 500 }, { status: 503 });
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'downloaded');
    assert.equal(
      fileRequests(f).map((r) => r.status),
      [500, 503, 200],
    );
    assert.ok(f.logs.some((l) => /HTTP 500.*retrying/.test(l)));
  }));

test('retries give up after the limit and name the URL', () =>
  withFixture(async (f) => {
    f.server.always(f.path, { status: 502 });
    const error = await rejection(fetchArtifact({ url: f.url }, { ...f.options, retries: 2 }));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, f.server.url);
    assert.is(fileRequests(f).length, 3);
  }));

test('a 404 is not retried, and the error names the URL and what to check', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { status: 404 });
    const error = await rejection(fetchArtifact({ url: f.url }, f.options));
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, `${f.server.url}cloud-images.example.test/jammy/current/${fileName}`);
    assert.match(error.message, '404');
    assert.match(error.hint ?? '', 'mirror');
    assert.is(fileRequests(f).length, 1);
  }));

test('a digest mismatch deletes the partial, keeps the earlier good copy, and names both digests', () =>
  withFixture(async (f) => {
    const first = await fetchArtifact({ url: f.url }, f.options);
    const wrong = 'f'.repeat(64);
    const next = Buffer.concat([f.body, Buffer.from('v2')]);
    publish(f.server, 'https://cloud-images.example.test/jammy/current/', fileName, next, `${wrong} *${fileName}\n`);
    const error = await rejection(fetchArtifact({ url: f.url }, f.options));
    assert.is(error.code, ExitCode.digest);
    assert.match(error.message, fileName);
    assert.match(error.message, wrong);
    assert.match(error.message, sha(next));
    assert.is(fileRequests(f).length, 2, 'no retry after a mismatch');
    assert.not.ok(existsSync(f.paths.partial(fileName)));
    assert.ok((await readFile(first.path)).equals(f.body));
  }));

test('a stalled transfer is aborted and resumed', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { stallAfter: 512 * 1024 });
    const result = await fetchArtifact({ url: f.url }, { ...f.options, stallMs: 200 });
    assert.is(result.sha256, f.sha256);
    assert.ok(f.logs.some((l) => /stalled/.test(l)));
    assert.is(fileRequests(f)[1]!.headers.range, `bytes=${512 * 1024}-`);
  }));

test('a server that ignores Range restarts the download cleanly and says so', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { dropAfter: 1 << 20 }, { ignoreRange: true });
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.sha256, f.sha256);
    assert.is(fileRequests(f)[1]!.status, 200);
    assert.ok(f.logs.some((l) => /ignored Range/.test(l)));
  }));

test('an ETag that changes between attempts makes If-Range fail, and the download restarts', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { dropAfter: 1 << 20 });
    const log = (line: string) => {
      f.logs.push(line);
      if (/retrying/.test(line)) f.server.put(f.path, f.body, '"regenerated"'); // same bytes, new validator
    };
    const result = await fetchArtifact({ url: f.url }, { ...f.options, log });
    assert.is(result.sha256, f.sha256);
    const second = fileRequests(f)[1]!;
    assert.ok(second.headers['if-range']);
    assert.is(second.status, 200);
    assert.ok(f.logs.some((l) => /restarting/.test(l)));
  }));

test('upstream publishing a new image updates by rename, so a hard link to the old one keeps it', () =>
  withFixture(async (f) => {
    const first = await fetchArtifact({ url: f.url }, f.options);
    const pinned = `${f.paths.root}/pinned.img`;
    await link(first.path, pinned);
    const next = Buffer.concat([f.body, Buffer.from('new daily build')]);
    publish(f.server, 'https://cloud-images.example.test/jammy/current/', fileName, next);
    const second = await fetchArtifact({ url: f.url }, f.options);
    assert.is(second.status, 'updated');
    assert.equal(second.replaced, { sha256: f.sha256 });
    assert.ok((await readFile(second.path)).equals(next));
    assert.ok((await readFile(pinned)).equals(f.body));
    assert.ok(f.logs.some((l) => /new image/.test(l)));
  }));

test("the learner's own copy under the guide's name is adopted online: hashed once, 0 body bytes, said so", () =>
  withFixture(async (f) => {
    await mkdir(f.paths.root, { recursive: true });
    await writeFile(f.paths.artifact(fileName), f.body);
    const before = await stat(f.paths.artifact(fileName));
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'adopted');
    assert.is(result.transferred, 0);
    assert.is(fileRequests(f).length, 0, 'the image itself is never requested');
    assert.equal(
      f.server.requests.map((r) => r.path),
      [f.path.replace(fileName, 'SHA256SUMS')],
      'only SHA256SUMS is asked for',
    );
    assert.ok(
      f.logs.some(
        (l) =>
          l ===
          `${fileName}: found in images/ and it matches SHA256SUMS ` +
            `(sha256 ${f.sha256.slice(0, 16)}…): adopted, nothing downloaded`,
      ),
    );
    const after = await stat(f.paths.artifact(fileName));
    assert.equal(
      [after.ino, after.mtimeMs, after.mode & 0o777],
      [before.ino, before.mtimeMs, before.mode & 0o777],
      'the file is recorded as it is, not rewritten',
    );
    const again = await fetchArtifact({ url: f.url }, f.options);
    assert.is(again.status, 'cached', 'recorded: the next run trusts it unread');
  }));

test("a copy under the guide's name that does not match is replaced by the current image, and said so", () =>
  withFixture(async (f) => {
    await mkdir(f.paths.root, { recursive: true });
    const stale = Buffer.from('an older daily build');
    await writeFile(f.paths.artifact(fileName), stale);
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'downloaded');
    assert.ok((await readFile(result.path)).equals(f.body));
    assert.ok(
      f.logs.some((l) =>
        l.includes(`the file in images/ is not the one SHA256SUMS lists (sha256 ${sha(stale).slice(0, 16)}…`),
      ),
    );
  }));

test('Ctrl-C stops the download, keeps the partial, and the next run resumes it', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { trickle: { bytes: 64 * 1024, everyMs: 5 } });
    const controller = new AbortController();
    const onProgress = (p: { received: number }) => p.received >= 256 * 1024 && controller.abort();
    const error = await rejection(
      fetchArtifact({ url: f.url }, { ...f.options, signal: controller.signal, onProgress, progressMs: 0 }),
    );
    assert.is(error.code, ExitCode.interrupted);
    assert.is(fileRequests(f).length, 1, 'no retry after Ctrl-C');
    const kept = (await stat(f.paths.partial(fileName))).size;
    assert.ok(kept >= 256 * 1024);
    assert.not.ok(existsSync(f.paths.lock(`download-${fileName}`)), 'the lock is released');
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'resumed');
    assert.is(result.transferred, f.body.length - kept);
    assert.ok(f.logs.some((l) => /resuming at/.test(l)));
  }));

test('a partial of an older upstream version is discarded, not resumed', () =>
  withFixture(async (f) => {
    f.server.fault(f.path, { dropAfter: 1 << 20 });
    await rejection(fetchArtifact({ url: f.url }, { ...f.options, retries: 0 }));
    assert.ok(existsSync(f.paths.partial(fileName)));
    const next = Buffer.concat([Buffer.from('v2'), f.body]);
    publish(f.server, 'https://cloud-images.example.test/jammy/current/', fileName, next);
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'downloaded');
    assert.is(result.sha256, sha(next));
    assert.is(fileRequests(f)[1]!.headers.range, undefined);
  }));

test('--offline uses the cache without the network, and fails clearly when a file is missing', () =>
  withFixture(async (f) => {
    const missing = await rejection(fetchArtifact({ url: f.url }, { ...f.options, offline: true }));
    assert.is(missing.code, ExitCode.offline);
    assert.match(missing.message, fileName);
    assert.is(f.server.requests.length, 0);
    await fetchArtifact({ url: f.url }, f.options);
    const before = f.server.requests.length;
    const cached = await fetchArtifact({ url: f.url }, { ...f.options, offline: true });
    assert.is(cached.status, 'cached');
    assert.is(cached.sha256, f.sha256);
    assert.is(f.server.requests.length, before);
  }));

test('a plain-http upstream URL is refused unless it comes through a named mirror', () =>
  withFixture(async (f) => {
    const error = await rejection(fetchArtifact({ url: f.url.replace('https:', 'http:') }, { paths: f.paths }));
    assert.is(error.code, ExitCode.usage);
    assert.match(error.hint ?? '', '--mirror');
    assert.not.ok(existsSync(dirname(f.paths.lock('x'))));
  }));

test.run();
