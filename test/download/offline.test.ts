// --offline with what the learner already has: a file under the guide's name in images/, checked
// against the SHA256SUMS beside it — never the network, and the user's file never changed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fetchArtifact } from '../../lib/download/index.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import { rejection } from '../helpers/rejection.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('offline');
const name = 'jammy-server-cloudimg-amd64.img';
const url = `https://cloud-images.ubuntu.com/jammy/current/${name}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const body = randomBytes(1 << 20);
let dir: ReturnType<typeof tempDir>;
let paths: ReturnType<typeof makePaths>;
let logs: string[];

test.before.each(async () => {
  dir = tempDir('kubenet-offline-');
  paths = makePaths(join(dir.path, 'images'));
  logs = [];
  await mkdir(paths.root);
  await writeFile(paths.artifact(name), body); // the learner's wget
});
test.after.each(() => dir.remove());

// An unreachable mirror: any request would fail loudly.
const offline = () =>
  fetchArtifact({ url }, { paths, offline: true, mirror: 'http://127.0.0.1:9/', log: (l) => logs.push(l) });

test("the learner's copy with upstream's SHA256SUMS beside it is adopted and recorded", async () => {
  await writeFile(
    join(paths.root, 'SHA256SUMS'),
    `${'0'.repeat(64)} *jammy-server-cloudimg-arm64.img\n${sha(body)} *${name}\n`,
  );
  const before = statSync(paths.artifact(name));
  const result = await offline();
  assert.is(result.status, 'adopted');
  assert.is(result.sha256, sha(body));
  assert.is(result.transferred, 0);
  assert.match(logs.join('\n'), `${name}: found in images/ and it matches ${join(paths.root, 'SHA256SUMS')}`);
  const after = statSync(paths.artifact(name));
  assert.equal([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
  assert.is((await offline()).status, 'cached', 'recorded: trusted unread next time');
});

test('a copy the SHA256SUMS beside it does not vouch for is refused (exit 21), and left as it was', async () => {
  await writeFile(join(paths.root, 'SHA256SUMS'), `${'e'.repeat(64)} *${name}\n`);
  const error = await rejection(offline(), KubenetError);
  assert.is(error.code, ExitCode.digest);
  assert.match(error.message, `expected ${'e'.repeat(64)}, got ${sha(body)}`);
  assert.match(error.hint ?? '', 'Nothing was changed');
  assert.ok((await readFile(paths.artifact(name))).equals(body));
  assert.not.ok(existsSync(paths.downloadRecord(name)), 'not recorded');
});

test('without a SHA256SUMS beside it: exit 22, saying what would vouch for it', async () => {
  const error = await rejection(offline(), KubenetError);
  assert.is(error.code, ExitCode.offline);
  assert.match(error.message, 'is not a verified download');
  assert.match(
    error.hint ?? '',
    `Put the SHA256SUMS published beside it in images/ (${join(paths.root, 'SHA256SUMS')})`,
  );
});

test('a SHA256SUMS that does not list the file: exit 22, naming it', async () => {
  await writeFile(join(paths.root, 'SHA256SUMS'), `${sha(body)} *jammy-desktop-amd64.iso\n`);
  const error = await rejection(offline(), KubenetError);
  assert.is(error.code, ExitCode.offline);
  assert.match(error.message, `${join(paths.root, 'SHA256SUMS')} lists no digest for it`);
});

test.run();
