// The shared download cache between images/ folders: the second folder transfers nothing, two
// folders at once download once, an entry is trusted only while it is the file kubenet verified,
// and nothing ever writes into a cached inode — an overlay's base stays what it was made on.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { fetchArtifact } from '../../../lib/download/index.js';
import { rejection } from '../../helpers/rejection.js';
import type { FetchOptions } from '../../../lib/download/types.js';
import { which } from '../../../lib/host/which.js';
import { makeCachePaths, makePaths, type Paths } from '../../../lib/paths.js';
import { publish, startFaultServer, type FaultServer } from '../../helpers/fault-server.js';
import { mustRun, qemuImg, qemuInfo, qemuIo } from '../../helpers/qemu-img.js';
import { trustedKeysFile } from '../../helpers/signing.js';
import { testWhen } from '../../helpers/skip.js';
import { tempDir } from '../../helpers/tmp.js';

const test = suite('shared cache');
const upstreamDir = 'https://cloud-images.ubuntu.com/jammy/current/';
const name = 'jammy-server-cloudimg-arm64.img';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: ReturnType<typeof tempDir>;
let server: FaultServer;
let published: ReturnType<typeof publish>;
let body: Buffer;
let cacheDir: string;
let logs: string[];

test.before.each(async () => {
  dir = tempDir('kubenet-shared-cache-');
  server = await startFaultServer();
  body = randomBytes(2 << 20);
  published = publish(server, upstreamDir, name, body);
  cacheDir = join(dir.path, 'cache');
  logs = [];
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const folder = (n: string): Paths => makePaths(join(dir.path, n, 'images'));
const options = (paths: Paths, extra: Partial<FetchOptions> = {}): FetchOptions => ({
  paths,
  mirror: server.url,
  cache: cacheDir,
  trustedKeys: trustedKeysFile,
  retries: 1,
  backoffMs: 10,
  lockPollMs: 20,
  log: (l) => logs.push(l),
  ...extra,
});
const imageRequests = () => server.requests.filter((r) => r.path === published.path);
const bodyBytes = () => server.requests.reduce((n, r) => n + r.bytes, 0);
const entry = (digest: string) => makeCachePaths(cacheDir).entry(digest);

test(
  "a second folder's prefetch transfers 0 bytes: " + 'SHA256SUMS is a 304, the image a hard link to the cache',
  async () => {
    const a = folder('a');
    const b = folder('b');
    const first = await fetchArtifact({ url: published.url }, options(a));
    assert.is(first.status, 'downloaded');
    assert.is(
      statSync(entry(published.sha256)).ino,
      statSync(first.path).ino,
      'the cache holds the download by a hard link',
    );
    const before = { requests: server.requests.length, bytes: bodyBytes() };
    const second = await fetchArtifact({ url: published.url }, options(b));
    assert.is(second.status, 'shared');
    assert.is(second.transferred, 0);
    assert.is(bodyBytes() - before.bytes, 0, 'no body byte at all');
    assert.equal(
      server.requests.slice(before.requests).map((r) => [r.path.endsWith('SHA256SUMS'), r.status]),
      [[true, 304]],
    );
    assert.is(imageRequests().length, 1);
    assert.is(statSync(second.path).ino, statSync(first.path).ino);
    assert.is(statSync(second.path).nlink, 3, 'a, b and the cache');
    assert.ok(
      logs.some((l) => l === `${name}: from the shared cache (a hard link: no space used), nothing downloaded`),
    );
    assert.is((await fetchArtifact({ url: published.url }, options(b))).status, 'cached', 'recorded in b');
  },
);

test('two folders at once download once: the second waits on the digest lock, then links', async () => {
  server.always(published.path, { trickle: { bytes: 256 * 1024, everyMs: 20 } });
  const [x, y] = await Promise.all([
    fetchArtifact({ url: published.url }, options(folder('a'))),
    fetchArtifact({ url: published.url }, options(folder('b'))),
  ]);
  assert.equal([x.status, y.status].sort(), ['downloaded', 'shared']);
  assert.is(imageRequests().length, 1);
  assert.is(x.transferred + y.transferred, body.length);
  assert.not.ok(existsSync(makeCachePaths(cacheDir).lock(published.sha256)), 'no lock left');
});

test(
  'an entry changed since kubenet verified it is hashed again, ' +
    'removed when it no longer matches, and downloaded anew',
  async () => {
    await fetchArtifact({ url: published.url }, options(folder('a')));
    const tampered = Buffer.from(body);
    tampered[7] ^= 0xff;
    writeFileSync(join(dir.path, 'elsewhere'), tampered);
    // Replace the entry's content under the same name (another program, not kubenet).
    const path = entry(published.sha256);
    rmSync(path);
    copyFileSync(join(dir.path, 'elsewhere'), path);
    const result = await fetchArtifact({ url: published.url }, options(folder('b')));
    assert.is(result.status, 'downloaded');
    assert.ok((await readFile(result.path)).equals(body));
    assert.ok(logs.some((l) => l.includes('no longer matches its digest')));
    assert.is(sha(readFileSync(path)), published.sha256, 'the fresh download took its place');
  },
);

test('an entry whose stat changed but whose bytes still match is hashed once and used', async () => {
  await fetchArtifact({ url: published.url }, options(folder('a')));
  utimesSync(entry(published.sha256), new Date(), new Date(Date.now() - 3_600_000));
  const result = await fetchArtifact({ url: published.url }, options(folder('b')));
  assert.is(result.status, 'shared');
  assert.is(imageRequests().length, 1);
});

test('--offline in a new folder links the newest verified entry for that URL', async () => {
  await fetchArtifact({ url: published.url }, options(folder('a')));
  const before = server.requests.length;
  const result = await fetchArtifact({ url: published.url }, options(folder('b'), { offline: true }));
  assert.is(result.status, 'shared');
  assert.is(result.sha256, published.sha256);
  assert.is(server.requests.length, before, 'no request at all');
});

// Issue 18 §4: a run that could not check upstream linked an entry a loopback test mirror had
// vouched for, and called it "the verified copy". An entry serves only the source that vouched for it.
test(
  'a run that cannot check its own source takes no entry ' + 'another source vouched for, and names the one not used',
  async () => {
    await fetchArtifact({ url: published.url }, options(folder('a'))); // through the test mirror
    const b = folder('b');
    const error = await rejection(
      fetchArtifact({ url: published.url }, options(b, { offline: true, mirror: undefined })),
      KubenetError,
    );
    assert.is(error.code, ExitCode.offline);
    assert.is(
      error.details,
      `  Not used: the shared cache's ${name} (sha256 ${published.sha256.slice(0, 16)}…), vouched for by ` +
        `${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS, not by ${upstreamDir}SHA256SUMS.`,
    );
    assert.not.ok(existsSync(b.artifact(name)), 'nothing linked into images/');
    const same = await fetchArtifact({ url: published.url }, options(folder('c'), { offline: true }));
    assert.is(same.status, 'shared', 'the mirror that vouched for it still gets it');
  },
);

test('another source that lists the same digest vouches for the entry too', async () => {
  await fetchArtifact({ url: published.url }, options(folder('a')));
  const other = await startFaultServer();
  try {
    publish(other, upstreamDir, name, body);
    const second = await fetchArtifact({ url: published.url }, options(folder('b'), { mirror: other.url }));
    assert.is(second.status, 'shared');
    const record = JSON.parse(readFileSync(makeCachePaths(cacheDir).entryRecord(published.sha256), 'utf8')) as {
      vouchedBy: { sums: string }[];
    };
    assert.equal(
      record.vouchedBy.map((v) => v.sums),
      [server.url, other.url].map((m) => `${m}cloud-images.ubuntu.com/jammy/current/SHA256SUMS`),
    );
    assert.is(
      (await fetchArtifact({ url: published.url }, options(folder('c'), { offline: true, mirror: other.url }))).status,
      'shared',
    );
  } finally {
    await other.close();
  }
});

test('without a cache nothing is written outside images/', async () => {
  const { cache: _none, ...noCache } = options(folder('a'));
  await fetchArtifact({ url: published.url }, noCache);
  assert.not.ok(existsSync(cacheDir));
});

test('a cache that cannot be used is said once and skipped: the download itself succeeds', async () => {
  await mkdir(dir.path, { recursive: true });
  writeFileSync(cacheDir, 'a file where the cache folder should be');
  const result = await fetchArtifact({ url: published.url }, options(folder('a')));
  assert.is(result.status, 'downloaded');
  assert.ok(
    logs.some((l) => l.startsWith(`shared cache ${cacheDir}: could not`)),
    logs.join('\n'),
  );
});

const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
testWhen(
  test,
  otherFs,
  'no /dev/shm on another file system than the temp folder',
  'a cache on another file system is copied into, and copied from',
  async () => {
    const shm = mkdtempSync('/dev/shm/kubenet-cache-');
    try {
      const onShm = { cache: join(shm, 'cache') };
      const first = await fetchArtifact({ url: published.url }, options(folder('a'), onShm));
      const second = await fetchArtifact({ url: published.url }, options(folder('b'), onShm));
      assert.is(second.status, 'shared');
      assert.is.not(statSync(second.path).ino, statSync(first.path).ino);
      assert.ok((await readFile(second.path)).equals(body));
      assert.is(statSync(second.path).mode & 0o777, 0o444);
      assert.ok(logs.some((l) => l.includes('a copy: the cache is on another file system')));
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  },
);

// Issue 19 §1: a write through one folder's read-only link (root can), with the size and mtime set
// back, changed every folder's image at once — and the entry was still printed as "verified".
// Root writes where the learner could not: the image is kubenet's 0444 file.
function writeInPlace(path: string, at: number): void {
  const times = join(dir.path, 'times');
  execFileSync('touch', ['-r', path, times]); // its times to the nanosecond
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.from([readFileSync(path)[at]! ^ 0xff]), 0, 1, at);
  } finally {
    closeSync(fd);
  }
  execFileSync('touch', ['-r', times, path]); // size and mtime as they were: only ctime tells
  assert.is(statSync(path).mtimeMs, statSync(times).mtimeMs);
}

test(
  'an image written in place through a linked folder, size and mtime set back, ' +
    'is hashed again: never "verified", the entry evicted, the verified image back',
  async () => {
    const a = folder('a');
    const b = folder('b');
    await fetchArtifact({ url: published.url }, options(a));
    await fetchArtifact({ url: published.url }, options(b)); // b links the same inode
    writeInPlace(a.artifact(name), 4096);
    logs.length = 0;
    const again = await fetchArtifact({ url: published.url }, options(b));
    assert.is.not(again.status, 'cached', 'not the "verified copy is current"');
    assert.ok((await readFile(b.artifact(name))).equals(body), "b's image is the verified one again");
    assert.ok(
      logs.some((l) => l.startsWith(`${name} in images/ was changed outside kubenet since it was verified`)),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((l) =>
        l.endsWith(
          'no longer matches its digest (changed outside kubenet since it was ' +
            'verified); 2 other names of it in images/ folders hold the changed file too',
        ),
      ),
      logs.join('\n'),
    );
    assert.is(sha(readFileSync(entry(published.sha256))), published.sha256, 'the cache holds the verified image again');
    logs.length = 0;
    const inA = await fetchArtifact({ url: published.url }, options(a));
    assert.is.not(inA.status, 'cached');
    assert.ok(
      logs.some((l) => l.startsWith(`${name} in images/ was changed outside kubenet`)),
      'a says its image no longer matches',
    );
    assert.is(sha(readFileSync(a.artifact(name))), published.sha256);
  },
);

test('a new link made by another folder is not a change: the first folder trusts its image unread', async () => {
  const a = folder('a');
  await fetchArtifact({ url: published.url }, options(a));
  await fetchArtifact({ url: published.url }, options(folder('b'))); // a new link: the inode's ctime moves
  await fetchArtifact({ url: published.url }, options(folder('c')));
  const record = readFileSync(a.downloadRecord(name), 'utf8');
  logs.length = 0;
  const rerun = await fetchArtifact({ url: published.url }, options(a));
  assert.is(rerun.status, 'cached');
  assert.equal(logs, [], 'nothing to say');
  assert.is(
    readFileSync(a.downloadRecord(name), 'utf8'),
    record,
    'trusted as recorded: not hashed again (which renews the record)',
  );
});

// — Overlays stay protected: a cached inode is never written into —

const tools = which('qemu-img') && which('qemu-io');
testWhen(
  test,
  tools,
  'qemu-img / qemu-io are not installed (apt-get install qemu-utils)',
  'an overlay on a linked image keeps reading what it was made on ' +
    'when upstream publishes a new one; the cached inode never changes',
  async () => {
    const qcow2 = (pattern: string) => {
      const file = join(dir.path, `base-${pattern}.qcow2`);
      mustRun(qemuImg(['create', '-f', 'qcow2', file, '64M']), 'base');
      mustRun(qemuIo(file, `write -P ${pattern} 0 1M`), 'base data');
      return readFileSync(file);
    };
    const v1 = qcow2('0x11');
    published = publish(server, upstreamDir, name, v1);
    const a = folder('a');
    const b = folder('b');
    await fetchArtifact({ url: published.url }, options(a));
    await fetchArtifact({ url: published.url }, options(b)); // b links v1 too
    const v1Entry = entry(sha(v1));
    const v1Stat = statSync(v1Entry);
    mustRun(
      qemuImg(['create', '-F', 'qcow2', '-b', name, '-f', 'qcow2', 'ubuntu0.img', '1G'], a.root),
      "the guide's overlay",
    );
    publish(server, upstreamDir, name, qcow2('0x22')); // upstream's next build
    const update = await fetchArtifact({ url: published.url }, options(a));
    assert.is(update.status, 'updated');
    assert.ok(qemuIo(join(a.root, 'ubuntu0.img'), 'read -P 0x11 0 1M', a.root).ok, 'the overlay still reads v1');
    assert.match(qemuInfo(join(a.root, 'ubuntu0.img'))['backing-filename'] ?? '', 'base/');
    assert.ok(qemuIo(join(a.root, name), 'read -P 0x22 0 1M', a.root).ok, 'images/ has v2');
    const after = statSync(v1Entry);
    assert.equal(
      [after.ino, after.mtimeMs, after.size],
      [v1Stat.ino, v1Stat.mtimeMs, v1Stat.size],
      'the v1 entry is the same inode, never written',
    );
    assert.is(sha(readFileSync(v1Entry)), sha(v1));
    assert.is(sha(readFileSync(b.artifact(name))), sha(v1), 'b still has v1');
  },
);

// Issue 19 §1: after noticing a changed base, kubenet pinned the changed file under the digest it
// was verified as, and told the overlay it "keeps reading what it was made on" — false.
testWhen(
  test,
  tools,
  'qemu-img / qemu-io are not installed (apt-get install qemu-utils)',
  'a base written in place under its overlay is said plainly; with ' +
    'upstream unchanged, the verified image it was made on is put back',
  async () => {
    const v1 = (() => {
      const file = join(dir.path, 'v1.qcow2');
      mustRun(qemuImg(['create', '-f', 'qcow2', file, '64M']), 'base');
      mustRun(qemuIo(file, 'write -P 0x11 0 4M'), 'base data');
      return readFileSync(file);
    })();
    published = publish(server, upstreamDir, name, v1);
    const a = folder('a');
    await fetchArtifact({ url: published.url }, options(a));
    mustRun(
      qemuImg(['create', '-F', 'qcow2', '-b', name, '-f', 'qcow2', 'ubuntu0.img', '1G'], a.root),
      "the guide's overlay",
    );
    writeInPlace(a.artifact(name), v1.length - 4096); // inside the base's data
    logs.length = 0;
    const again = await fetchArtifact({ url: published.url }, options(a));
    assert.is.not(again.status, 'cached');
    assert.ok(
      logs.some(
        (l) =>
          l.startsWith('ubuntu0.img is backed by') &&
          l.includes('which was modified outside kubenet after it was verified') &&
          l.endsWith(
            'the verified image it was made on is put back in its place; what ' +
              'the VM wrote while its base was modified may be inconsistent',
          ),
      ),
      logs.join('\n'),
    );
    assert.not.ok(
      logs.some((l) => l.includes('keeps reading what it was made on')),
      logs.join('\n'),
    );
    assert.is(qemuInfo(join(a.root, 'ubuntu0.img'))['backing-filename'], name, 'not moved onto the modified file');
    assert.is(sha(readFileSync(a.artifact(name))), sha(v1));
    assert.not.ok(existsSync(join(a.root, 'base')), 'the modified file is not pinned as the original');
  },
);

test.run();
