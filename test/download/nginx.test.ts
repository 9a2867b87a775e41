import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchArtifact } from '../../lib/download/index.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import { nginxBinary, startNginx, type Nginx } from '../helpers/nginx.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('download from a real nginx');
const name = 'jammy-desktop-amd64.iso';
const url = `https://cdimage.example.test/jammy/daily-live/current/${name}`;
let dir = '';
let nginx: Nginx | undefined;
let body: Buffer;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubenet-nginx-test-'));
  const served = join(dir, 'www', 'cdimage.example.test', 'jammy', 'daily-live', 'current');
  await mkdir(served, { recursive: true });
  body = randomBytes(4 << 20);
  await writeFile(join(served, name), body);
  await writeFile(join(served, 'SHA256SUMS'), `${createHash('sha256').update(body).digest('hex')} *${name}\n`);
  if (existsSync(nginxBinary)) nginx = await startNginx(join(dir, 'www'), { limitRate: '1m' });
});

test.after(async () => {
  await nginx?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('an interrupted download from nginx resumes with a Range request and verifies', async () => {
  if (skipUnless(nginx, 'nginx is not installed (apt-get install nginx-light)') || !nginx) return;
  const paths = makePaths(join(dir, 'images'));
  const controller = new AbortController();
  try {
    await fetchArtifact(
      { url },
      {
        paths,
        mirror: nginx.slowUrl,
        signal: controller.signal,
        progressMs: 0,
        onProgress: (p) => p.received >= 1 << 20 && controller.abort(),
      },
    );
    assert.unreachable();
  } catch (error) {
    assert.instance(error, KubenetError);
    assert.is((error as KubenetError).code, ExitCode.interrupted, (error as Error).message);
  }
  const kept = (await stat(paths.partial(name))).size;
  assert.ok(kept >= 1 << 20 && kept < body.length);
  const result = await fetchArtifact({ url }, { paths, mirror: nginx.url });
  assert.is(result.status, 'resumed');
  assert.is(result.transferred, body.length - kept);
  assert.ok((await readFile(result.path)).equals(body));
  const sent = (await nginx.sent()).filter((r) => r.path.endsWith(name));
  assert.equal(sent.at(-1), {
    path: `/cdimage.example.test/jammy/daily-live/current/${name}`,
    status: 206,
    bytes: body.length - kept,
  });
  const again = await fetchArtifact({ url }, { paths, mirror: nginx.url });
  assert.is(again.status, 'cached');
  assert.is((await nginx.sent()).at(-1)!.status, 304, 'nginx answers the conditional SHA256SUMS request with 304');
});

test.run();
