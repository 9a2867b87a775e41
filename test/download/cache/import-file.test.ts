// importFile: the learner's own download, from anywhere, made kubenet's — checked against
// SHA256SUMS (upstream's, the one beside it offline, or --sums), put in images/ as a hard link or
// a whole copy, recorded — and the learner's file never moved, modified or chmod'ed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile, type ImportRequest } from '../../../lib/download/cache/import-file.js';
import { fetchArtifact } from '../../../lib/download/index.js';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { makeCachePaths, makePaths, type Paths } from '../../../lib/paths.js';
import { publish, startFaultServer, type FaultServer } from '../../helpers/fault-server.js';
import { freePort } from '../../../lib/ssh/free-port.js';
import { rejection } from '../../helpers/rejection.js';
import { trustedKeysFile } from '../../helpers/signing.js';
import { testWhen } from '../../helpers/skip.js';
import { tempDir } from '../../helpers/tmp.js';

const test = suite('importFile');
const name = 'jammy-server-cloudimg-amd64.img';
const upstreamDir = 'https://cloud-images.ubuntu.com/jammy/current/';
const url = `${upstreamDir}${name}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: ReturnType<typeof tempDir>;
let server: FaultServer;
let body: Buffer;
let paths: Paths;
let downloads: string; // the learner's ~/Downloads
let mine: string; // their file in it

test.before.each(async () => {
  dir = tempDir('kubenet-import-');
  server = await startFaultServer();
  body = randomBytes(1 << 20);
  publish(server, upstreamDir, name, body);
  paths = makePaths(join(dir.path, 'work', 'images'));
  downloads = join(dir.path, 'Downloads');
  mkdirSync(downloads);
  mine = join(downloads, name);
  writeFileSync(mine, body);
  chmodSync(mine, 0o640);
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const request = (extra: Partial<ImportRequest> = {}): ImportRequest => ({
  file: mine,
  url,
  paths,
  offline: false,
  mirror: server.url,
  trustedKeys: trustedKeysFile,
  ...extra,
});
const untouched = (file: string, before: import('node:fs').Stats) => {
  const after = statSync(file);
  assert.equal(
    [after.ino, after.mtimeMs, after.size, after.mode & 0o777],
    [before.ino, before.mtimeMs, before.size, before.mode & 0o777],
    `${file} is untouched`,
  );
  assert.ok(readFileSync(file).equals(body));
};

// Issue 19 §1: import hard-linked the learner's writable file into images/ (and the cache), so
// their own qemu-img resize of it changed every project's base image. It is copied now.
test(
  "online: checked against upstream's SHA256SUMS, copied into images/ " +
    '(never linked), recorded; 0 image bytes; the file untouched',
  async () => {
    const before = statSync(mine);
    const result = await importFile(request());
    assert.equal(
      [result.placed, result.sha256, result.checkedAgainst],
      ['copied', sha(body), `${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS`],
    );
    const copy = statSync(paths.artifact(name));
    assert.is.not(copy.ino, before.ino, 'a file of its own, not a link to theirs');
    assert.is(copy.mode & 0o777, 0o444);
    assert.is(statSync(mine).nlink, 1, 'their file has no other name');
    untouched(mine, before);
    assert.is(server.requests.filter((r) => r.path.endsWith(name)).length, 0, 'the image itself is never requested');
    const next = await fetchArtifact({ url }, { paths, mirror: server.url, trustedKeys: trustedKeysFile });
    assert.is(next.status, 'cached', 'a run after it trusts the record: nothing downloaded');
    assert.is(server.requests.at(-1)!.status, 304);
  },
);

test('offline: the SHA256SUMS beside the file vouches for it; no network', async () => {
  writeFileSync(join(downloads, 'SHA256SUMS'), `${sha(body)} *${name}\n`);
  const result = await importFile(request({ offline: true, mirror: 'http://127.0.0.1:9/' }));
  assert.is(result.placed, 'copied');
  assert.is(result.checkedAgainst, join(downloads, 'SHA256SUMS'));
  assert.is(server.requests.length, 0);
});

// Issue 18 §4: without --offline, an import whose upstream cannot be reached used to fail.
test(
  'online, upstream unreachable: the SHA256SUMS beside ' + 'the file vouches for it, said in one line (bound 10 s)',
  async () => {
    writeFileSync(join(downloads, 'SHA256SUMS'), `${sha(body)} *${name}\n`);
    const logs: string[] = [];
    const refused = `http://127.0.0.1:${await freePort()}/`;
    const started = Date.now();
    const result = await importFile(request({ mirror: refused, log: (l) => logs.push(l) }));
    assert.ok(Date.now() - started < 10_000, 'one short try of upstream');
    assert.is(result.checkedAgainst, join(downloads, 'SHA256SUMS'));
    assert.is(result.sha256, sha(body));
    const said = logs.filter((l) => l.includes('vouched'));
    assert.equal(said, [
      `${name}: upstream's SHA256SUMS could not be had (cannot reach ${new URL(refused).host}: connection ` +
        `refused (nothing listens there)); the SHA256SUMS beside ` +
        `the file vouched for it: ${join(downloads, 'SHA256SUMS')}`,
    ]);
    assert.ok(readFileSync(paths.artifact(name)).equals(body));
  },
);

test('--sums FILE names the SHA256SUMS to check against', async () => {
  const sums = join(dir.path, 'sums.txt');
  writeFileSync(sums, `${sha(body)}  ${name}\n`);
  assert.is((await importFile(request({ sums, offline: true }))).checkedAgainst, sums);
});

test('a copy that does not match is refused (exit 21): the file untouched, nothing in images/', async () => {
  const other = Buffer.concat([body.subarray(0, body.length - 10), Buffer.alloc(10)]);
  writeFileSync(mine, other);
  const before = statSync(mine);
  const error = await rejection(importFile(request()), KubenetError);
  assert.is(error.code, ExitCode.digest);
  assert.match(
    error.message,
    `does not match ${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS: ` +
      `expected ${sha(body)}, got ${sha(other)}`,
  );
  assert.match(error.hint ?? '', 'Your file was not changed and nothing was put in images/');
  assert.is(statSync(mine).ino, before.ino);
  assert.ok(readFileSync(mine).equals(other));
  assert.not.ok(existsSync(paths.artifact(name)));
  assert.not.ok(existsSync(paths.downloadRecord(name)));
});

test('an older build that matches the SHA256SUMS beside it: the hint says --offline takes it', async () => {
  const older = randomBytes(1 << 16);
  writeFileSync(mine, older);
  writeFileSync(join(downloads, 'SHA256SUMS'), `${sha(older)} *${name}\n`);
  const error = await rejection(importFile(request()), KubenetError);
  assert.match(error.hint ?? '', 'an older build than upstream');
  assert.match(error.hint ?? '', `kubenet import --offline ${mine}`);
});

test('offline without a SHA256SUMS: exit 22, saying what would do', async () => {
  const error = await rejection(importFile(request({ offline: true })), KubenetError);
  assert.is(error.code, ExitCode.offline);
  assert.match(error.hint ?? '', '--sums FILE');
});

test('a file that is not there is a usage error', async () => {
  const error = await rejection(importFile(request({ file: join(downloads, 'nope', name) })), KubenetError);
  assert.is(error.code, ExitCode.usage);
  assert.match(error.message, 'no such file');
});

test('importing twice changes nothing; importing the file already in images/ records it', async () => {
  await importFile(request());
  assert.is((await importFile(request())).placed, 'already');
  rmSync(paths.downloadRecord(name));
  assert.is((await importFile(request({ file: paths.artifact(name) }))).placed, 'already');
  assert.ok(existsSync(paths.downloadRecord(name)));
});

test('with the shared cache on, the import lands in it too, and another folder links it for free', async () => {
  const cache = join(dir.path, 'cache');
  await importFile(request({ cache }));
  assert.is(
    statSync(makeCachePaths(cache).entry(sha(body))).ino,
    statSync(paths.artifact(name)).ino,
    "the cache links images/' copy",
  );
  assert.is(statSync(mine).nlink, 1, 'never their file');
  const elsewhere = makePaths(join(dir.path, 'other', 'images'));
  const result = await fetchArtifact(
    { url },
    { paths: elsewhere, mirror: server.url, cache, trustedKeys: trustedKeysFile },
  );
  assert.is(result.status, 'shared');
  assert.is(server.requests.filter((r) => r.path.endsWith(name)).length, 0);
});

const shm = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
testWhen(
  test,
  shm,
  'no /dev/shm on another file system than the temp folder',
  'from another file system: a whole read-only copy, the file untouched',
  async () => {
    const away = mkdtempSync('/dev/shm/kubenet-import-');
    try {
      const file = join(away, name);
      writeFileSync(file, body);
      const before = statSync(file);
      const result = await importFile(request({ file }));
      assert.is(result.placed, 'copied');
      const copy = statSync(paths.artifact(name));
      assert.is.not(copy.ino, before.ino);
      assert.is(copy.mode & 0o777, 0o444);
      assert.ok(readFileSync(paths.artifact(name)).equals(body));
      const after = statSync(file);
      assert.equal([after.ino, after.mtimeMs, after.mode & 0o777], [before.ino, before.mtimeMs, before.mode & 0o777]);
    } finally {
      rmSync(away, { recursive: true, force: true });
    }
  },
);

test.run();
