// End to end: `kubenet run 03-cloud-image` under TCG. A tiny aarch64 "cloud image" (qcow2 with
// an ESP that boots a kernel and a busybox initramfs) stands in for the Ubuntu cloud image; its
// /init finds the cidata seed kubenet wrote and prints what it read.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { GUEST_MARKERS, guestMarkers, testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: 03-cloud-image under TCG');
const upstream = 'https://cloud-images.ubuntu.com/jammy/current/';
const name = 'jammy-server-cloudimg-arm64.img';
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let images: string;
let image: Buffer;
let published: { sha256: string; path: string };

test.before(async () => {
  const guest = await testGuest('aarch64');
  image = readFileSync(guest.cloudImage);
  server = await startFaultServer();
  published = publish(server, upstream, name, image);
  dir = tempDir('kubenet-e2e-cloud-');
  images = join(dir.path, 'images');
});
test.after(async () => {
  killQemuIn(images);
  await server?.close();
  dir?.remove();
});

const run = (...args: string[]) =>
  kubenetAsync(
    [
      'run',
      '03-cloud-image',
      '--arch',
      'aarch64',
      '--headless',
      '--mirror',
      server.url,
      '--images',
      images,
      '--memory',
      '512M',
      '--until',
      GUEST_MARKERS.done,
      '--timeout',
      '300',
      ...args,
    ],
    {
      timeoutMs: 420_000,
      env: { HOME: join(dir.path, 'home') }, // no ~/.ssh key: kubenet generates one
    },
  );
const markers = () => guestMarkers(readFileSync(join(images, 'vm/ubuntu0/serial.log'), 'utf8'));
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const metaData = () => readFileSync(join(images, 'cloud-init/meta-data'), 'utf8');
const instanceIdOf = (meta: string) => /^instance-id: (.+)$/m.exec(meta)![1]!;
const backingOf = (file: string) =>
  JSON.parse(execFileSync('qemu-img', ['info', '--output', 'json', '-U', file], { encoding: 'utf8' }))[
    'backing-filename'
  ] as string;

test('downloads the image, makes the overlay and seed, and the guest reads the seed', async () => {
  const r = await run();
  assert.is(r.code, 0, r.stderr + r.stdout);
  const m = markers();
  assert.ok(m.includes(GUEST_MARKERS.cloudBooted), m.join('\n'));
  assert.ok(m.includes(GUEST_MARKERS.cidataFound), m.join('\n'));
  assert.ok(m.includes(`${GUEST_MARKERS.localHostname}ubuntu0`), m.join('\n'));
  const id = instanceIdOf(metaData());
  assert.match(id, /^ubuntu0-[0-9a-f]{12}$/);
  assert.ok(m.includes(`${GUEST_MARKERS.instanceId}${id}`), m.join('\n'));
  assert.ok(m.includes(`${GUEST_MARKERS.userData}#cloud-config`), m.join('\n'));
  // The guide's overlay, backed by the downloaded image by its relative name.
  assert.is(backingOf(join(images, 'ubuntu0.img')), name);
  assert.match(
    readFileSync(join(images, 'cloud-init/user-data'), 'utf8'),
    /^#cloud-config\npassword: ubuntu\nchpasswd: \{ expire: false \}\nssh_authorized_keys:\n {2}- ssh-ed25519 /,
  );
  assert.ok(existsSync(join(images, 'ssh/id_ed25519')), 'a key pair was generated under images/');
  assert.is(sha256(join(images, name)), published.sha256, 'the downloaded image is unchanged after the boot');
  assert.equal(qemuProcessesIn(images), []);
});

test('a second run downloads nothing, keeps the overlay and the instance', async () => {
  const overlay = statSync(join(images, 'ubuntu0.img'));
  const id = instanceIdOf(metaData());
  const served = server.requests.length;
  const r = await run();
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.equal(
    server.requests.slice(served).filter((q) => q.path === published.path),
    [],
    'the image was not requested again',
  );
  assert.is(statSync(join(images, 'ubuntu0.img')).ino, overlay.ino, 'the same overlay');
  assert.is(instanceIdOf(metaData()), id);
  assert.ok(markers().includes(`${GUEST_MARKERS.instanceId}${id}`));
  assert.is(sha256(join(images, name)), published.sha256);
});

test('a changed user-data gives a new instance-id, which the guest reads', async () => {
  const before = instanceIdOf(metaData());
  const own = join(dir.path, 'user-data');
  writeFileSync(own, '#cloud-config\npassword: changed\n');
  const r = await run('--user-data', own);
  assert.is(r.code, 0, r.stderr + r.stdout);
  const after = instanceIdOf(metaData());
  assert.is.not(after, before);
  assert.ok(markers().includes(`${GUEST_MARKERS.instanceId}${after}`), markers().join('\n'));
});

test('--offline boots from the cache without touching the network', async () => {
  const served = server.requests.length;
  const r = await run('--offline');
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.is(server.requests.length, served, 'no request at all');
});

test('a newer upstream image is fetched, and the existing VM keeps booting the one it was made from', async () => {
  const oldSha = published.sha256;
  // Same bootable content, different bytes: qemu ignores what follows the last cluster.
  const newer = Buffer.concat([image, Buffer.alloc(65536, 7)]);
  published = publish(server, upstream, name, newer);
  const r = await run();
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, 'upstream published a new image');
  assert.match(r.stdout, 'kubenet reset 03-cloud-image');
  assert.is(sha256(join(images, name)), published.sha256, 'the new image is in place');
  const backing = backingOf(join(images, 'ubuntu0.img'));
  assert.match(backing, `base/${oldSha.slice(0, 16)}-${name}`);
  assert.is(sha256(join(images, backing)), oldSha, 'the old image is kept, unchanged, for the overlay');
  assert.ok(markers().includes(GUEST_MARKERS.cidataFound));
});

test('reset deletes the overlay; the next run makes one on the new image', async () => {
  const r1 = await kubenetAsync(['reset', '03-cloud-image', '--yes', '--images', images, '--arch', 'aarch64']);
  assert.is(r1.code, 0, r1.stderr);
  assert.not.ok(existsSync(join(images, 'ubuntu0.img')));
  assert.ok(existsSync(join(images, name)), 'the download is kept');
  const r2 = await run();
  assert.is(r2.code, 0, r2.stderr + r2.stdout);
  assert.is(backingOf(join(images, 'ubuntu0.img')), name);
});

test('reset without --yes and without a terminal deletes nothing', async () => {
  const r = await kubenetAsync(['reset', '03-cloud-image', '--images', images, '--arch', 'aarch64']);
  assert.is(r.code, 2);
  assert.match(r.stderr, '--yes');
  assert.ok(existsSync(join(images, 'ubuntu0.img')));
});

test.run();
