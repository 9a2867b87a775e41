// Folder mirrors (--mirror /DIR or file:///DIR, laid out as BASE/HOST/PATH like `wget -x`): the
// same verified, recorded, resumable download as from a server, with no network and no server.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchArtifact } from '../../../lib/download/index.js';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { makePaths, type Paths } from '../../../lib/paths.js';
import { rejection } from '../../helpers/rejection.js';
import { tempDir } from '../../helpers/tmp.js';

const test = suite('folder mirrors');
const name = 'jammy-server-cloudimg-amd64.img';
const url = `https://cloud-images.ubuntu.com/jammy/current/${name}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Folder {
  mirror: string; // the folder
  file: string; // DIR/HOST/PATH/NAME
  sums: string;
  body: Buffer;
  paths: Paths;
  logs: string[];
}

let dir: ReturnType<typeof tempDir>;
let f: Folder;

test.before.each(async () => {
  dir = tempDir('kubenet-folder-mirror-');
  const mirror = join(dir.path, 'mirror');
  const at = join(mirror, 'cloud-images.ubuntu.com', 'jammy', 'current');
  await mkdir(at, { recursive: true });
  const body = randomBytes(3 << 20);
  await writeFile(join(at, name), body);
  await writeFile(join(at, 'SHA256SUMS'), `${sha(body)} *${name}\n`);
  f = {
    mirror,
    file: join(at, name),
    sums: join(at, 'SHA256SUMS'),
    body,
    paths: makePaths(join(dir.path, 'images')),
    logs: [],
  };
});
test.after.each(() => dir.remove());

const fetch = (mirror: string, extra: object = {}) =>
  fetchArtifact({ url }, { paths: f.paths, mirror, retries: 1, backoffMs: 10, log: (l) => f.logs.push(l), ...extra });

for (const form of ['a path', 'a file:// URL'] as const) {
  test(
    `given as ${form}, the mirror's file is copied, ` + `verified and recorded; the mirror is left as it was`,
    async () => {
      const before = statSync(f.file);
      const result = await fetch(form === 'a path' ? f.mirror : pathToFileURL(f.mirror).href);
      assert.is(result.status, 'downloaded');
      assert.is(result.sha256, sha(f.body));
      assert.is(result.transferred, f.body.length);
      assert.ok((await readFile(result.path)).equals(f.body));
      const after = statSync(f.file);
      assert.is(after.ino, before.ino);
      assert.is(after.mtimeMs, before.mtimeMs);
      assert.is(after.nlink, 1, 'not linked: a mirror refreshed in place must not change images/');
      assert.is.not(statSync(result.path).ino, after.ino);
    },
  );
}

test('a rerun reads the mirror SHA256SUMS again and copies nothing', async () => {
  await fetch(f.mirror);
  const again = await fetch(f.mirror);
  assert.is(again.status, 'cached');
  assert.is(again.transferred, 0);
});

test('--offline fills images/ from a folder mirror: it is not the network', async () => {
  const result = await fetch(f.mirror, { offline: true });
  assert.is(result.status, 'downloaded');
  assert.is(result.sha256, sha(f.body));
});

test('a file missing from the mirror: exit 20, naming the path and the layout', async () => {
  await rm(f.file);
  const error = await rejection(fetch(f.mirror), KubenetError);
  assert.is(error.code, ExitCode.download);
  assert.match(error.message, `not in the mirror: ${f.file}`);
  assert.match(error.hint ?? '', 'BASE/HOST/PATH');
  assert.match(error.hint ?? '', 'wget -x');
});

test('a mirror without SHA256SUMS: exit 20, naming it', async () => {
  await rm(f.sums);
  const error = await rejection(fetch(f.mirror), KubenetError);
  assert.is(error.code, ExitCode.download);
  assert.match(error.message, `not in the mirror: ${f.sums}`);
});

test('a file that does not match the mirror SHA256SUMS: exit 21, nothing kept in images/', async () => {
  await writeFile(f.sums, `${'e'.repeat(64)} *${name}\n`);
  const error = await rejection(fetch(f.mirror), KubenetError);
  assert.is(error.code, ExitCode.digest);
  assert.match(error.message, `expected ${'e'.repeat(64)}, got ${sha(f.body)}`);
  assert.not.ok(existsSync(f.paths.artifact(name)));
  assert.not.ok(existsSync(f.paths.partial(name)));
});

test('a partial left by a stopped copy resumes from where it stopped', async () => {
  const controller = new AbortController();
  await rejection(
    fetch(f.mirror, {
      signal: controller.signal,
      progressMs: 0,
      onProgress: (p: { received: number }) => p.received >= 1 << 20 && controller.abort(),
    }),
    KubenetError,
  );
  const kept = statSync(f.paths.partial(name)).size;
  assert.ok(kept >= 1 << 20 && kept < f.body.length);
  const result = await fetch(f.mirror);
  assert.is(result.status, 'resumed');
  assert.is(result.transferred, f.body.length - kept);
  assert.ok((await readFile(result.path)).equals(f.body));
});

test.run();
