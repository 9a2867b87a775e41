// End to end: upstream publishes a new cloud image while an overlay in images/ is backed by the
// old one under the guide's name. Whoever made the overlay — the learner with the guide's own
// step-9 command, or kubenet in a run that was killed before it finished — the overlay must keep
// reading the image it was made on: the new download never replaces a file an overlay uses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { mustRun, qemuImg, qemuInfo, qemuIo, sha256Of } from '../helpers/qemu-img.js';
import { testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: a new upstream image under an existing overlay');
const upstream = 'https://cloud-images.ubuntu.com/jammy/current/';
const name = 'jammy-server-cloudimg-arm64.img';
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let images: string;
let v1: string; // the tiny guest's cloud image with 0x11 at 24M
let v2: string; // the same with 0x22 at 24M: what upstream publishes next

test.before(async () => {
  const guest = await testGuest('aarch64');
  dir = tempDir('kubenet-e2e-upstream-');
  server = await startFaultServer();
  v1 = join(dir.path, 'v1.img');
  v2 = join(dir.path, 'v2.img');
  for (const [file, pattern] of [
    [v1, '0x11'],
    [v2, '0x22'],
  ] as const) {
    copyFileSync(guest.cloudImage, file);
    mustRun(qemuIo(file, `write -P ${pattern} 24M 1M`), `qemu-io ${file}`);
  }
});
test.before.each(() => {
  images = join(dir.path, `images-${Math.random().toString(36).slice(2)}`);
  mkdirSync(images);
});
test.after.each(() => rmSync(images, { recursive: true, force: true }));
test.after(async () => {
  await server?.close();
  dir?.remove();
});

const step9 = () =>
  kubenetAsync(
    ['run', '03-cloud-image', '--step', '9', '--arch', 'aarch64', '--mirror', server.url, '--images', images],
    { timeoutMs: 120_000 },
  );
const publishFile = (file: string) => publish(server, upstream, name, readFileSync(file));

// The guide's own step-9 command and a guest's write, run by hand in images/.
function guideOverlayWithData(): void {
  mustRun(
    qemuImg(['create', '-F', 'qcow2', '-b', name, '-f', 'qcow2', 'ubuntu0.img', '128G'], images),
    "the guide's qemu-img create",
  );
  mustRun(qemuIo(join(images, 'ubuntu0.img'), 'write -P 0xcd 16M 4M'), 'qemu-io write');
}

// What the overlay must still read: the guest's data, and v1's bytes where the guest wrote nothing.
function assertOverlayReadsV1(): void {
  const overlay = join(images, 'ubuntu0.img');
  const written = qemuIo(overlay, 'read -P 0xcd 16M 4M');
  assert.ok(written.ok, `the guest's data: ${written.out}`);
  const unwritten = qemuIo(overlay, 'read -P 0x11 24M 1M');
  assert.ok(unwritten.ok, `unwritten region reads v1's bytes (0x11), not v2's (0x22): ${unwritten.out}`);
  const check = qemuImg(['check', overlay]);
  assert.is(check.code, 0, check.out);
  assert.match(check.out, 'No errors were found');
}

test("an overlay made with the guide's command keeps reading v1 after kubenet downloads v2", async () => {
  copyFileSync(v1, join(images, name)); // v1 put in images/ by hand, as the guide does
  guideOverlayWithData();
  const served = publishFile(v2);
  const r = await step9();
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.is(sha256Of(join(images, name)), served.sha256, 'the new image is in place under its name');
  assertOverlayReadsV1();
  const info = qemuInfo(join(images, 'ubuntu0.img'));
  assert.match(info['backing-filename']!, /^base\/[0-9a-f]{16}-jammy-server-cloudimg-arm64\.img$/);
  assert.is(sha256Of(join(images, info['backing-filename']!)), sha256Of(v1), 'the pin is v1, unchanged');
});

test('an overlay kubenet made in a run killed before it recorded it keeps reading v1', async () => {
  publishFile(v1);
  const first = await step9();
  assert.is(first.code, 0, first.stderr + first.stdout);
  // What a kill between creating the overlay and recording it leaves: the overlay, no record.
  rmSync(join(images, '.kubenet/state/03-cloud-image.json'), { force: true });
  mustRun(qemuIo(join(images, 'ubuntu0.img'), 'write -P 0xcd 16M 4M'), 'qemu-io write');
  publishFile(v2);
  const r = await step9();
  assert.is(r.code, 0, r.stderr + r.stdout);
  assertOverlayReadsV1();
});

test('without qemu-img to move the overlay, the image in use is not replaced', async () => {
  copyFileSync(v1, join(images, name));
  guideOverlayWithData();
  const overlayBefore = sha256Of(join(images, 'ubuntu0.img'));
  publishFile(v2);
  // 13-cloud-img alone needs no QEMU; PATH without qemu-img is a host that lacks it.
  const emptyBin = join(dir.path, 'empty-bin');
  mkdirSync(emptyBin, { recursive: true });
  const r = await kubenetAsync(
    ['run', '13-cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images],
    {
      timeoutMs: 60_000,
      env: { PATH: emptyBin },
    },
  );
  assert.is(r.code, 10, r.stderr + r.stdout);
  assert.match(r.stderr, 'ubuntu0.img');
  assert.match(r.stderr, 'qemu-img');
  assert.match(r.stderr, `${name} was not replaced`);
  assert.is(sha256Of(join(images, name)), sha256Of(v1), 'v1 is still in place');
  assert.is(sha256Of(join(images, 'ubuntu0.img')), overlayBefore, 'the overlay is untouched');
  assertOverlayReadsV1();
});

test.run();
