// `kubenet prefetch` against a local mirror: every artifact, a manifest, a stable cache key.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('kubenet prefetch');
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let iso: ReturnType<typeof publish>;
let img: ReturnType<typeof publish>;

test.before.each(async () => {
  server = await startFaultServer();
  dir = tempDir('kubenet-prefetch-');
  iso = publish(server, 'https://cdimage.ubuntu.com/jammy/daily-live/current/', 'jammy-desktop-arm64.iso', Buffer.alloc(300_000, 1));
  img = publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', 'jammy-server-cloudimg-arm64.img', Buffer.alloc(200_000, 2));
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const prefetch = (...args: string[]) => kubenetAsync(['prefetch', '--arch', 'aarch64', '--mirror', server.url, '--images', join(dir.path, 'images'), ...args], { timeoutMs: 60_000 });

test('downloads every artifact and prints a JSON manifest with a cache key', async () => {
  const r = await prefetch('--json', '--cache-key');
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const byName = Object.fromEntries(out.artifacts.map((a: { name: string }) => [a.name, a]));
  assert.equal(Object.keys(byName).sort(), ['jammy-desktop-arm64.iso', 'jammy-server-cloudimg-arm64.img']);
  assert.is(byName['jammy-desktop-arm64.iso'].sha256, iso.sha256);
  assert.is(byName['jammy-server-cloudimg-arm64.img'].sha256, img.sha256);
  assert.is(byName['jammy-server-cloudimg-arm64.img'].size, 200_000);
  assert.is(byName['jammy-server-cloudimg-arm64.img'].url, img.url, 'the upstream URL, not the mirror');
  assert.ok(existsSync(byName['jammy-desktop-arm64.iso'].path));
  assert.match(out.cacheKey, /^kubenet-images-[0-9a-f]{32}$/);
  // Same digests → same key, whatever was downloaded this time.
  const again = JSON.parse((await prefetch('--json', '--cache-key')).stdout);
  assert.is(again.cacheKey, out.cacheKey);
  assert.ok(again.artifacts.every((a: { status: string }) => a.status === 'cached'));
});

test('naming a task fetches only what it needs', async () => {
  const r = await prefetch('03-cloud-image', '--json');
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).map((a: { name: string }) => a.name), ['jammy-server-cloudimg-arm64.img']);
});

test('a failed artifact makes the exit code non-zero and is named', async () => {
  server.always(iso.path, { status: 404 });
  const r = await prefetch();
  assert.is.not(r.code, 0);
  assert.match(r.stderr, 'jammy-desktop-arm64.iso');
  assert.match(r.stderr, '404');
});

test('--offline with nothing cached fails clearly', async () => {
  const r = await prefetch('--offline');
  assert.is(r.code, 22, r.stderr);
  assert.match(r.stderr, /offline/i);
});

test.run();
