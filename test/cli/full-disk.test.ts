// A full disk while kubenet makes a VM's files: exit 10 "no space left", naming the disk (its mount
// point and what is free) and what was being made — as a full disk during a download is — and
// nothing half-made left behind. images/ is a small tmpfs in a mount namespace of the run's own
// (unshare: a full disk without root's help, gone with the process).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { testWhen } from '../helpers/skip.js';
import { canMountTmpfs } from '../helpers/small-disk.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite("a full disk while a VM's files are made");
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;

const ready =
  canMountTmpfs &&
  which('qemu-img') !== undefined &&
  which('qemu-system-aarch64') !== undefined &&
  which('qemu-system-x86_64') !== undefined;
const why =
  'needs unshare able to mount a tmpfs (util-linux, user namespaces), qemu-img and qemu-system-aarch64 and -x86_64';
// kubenet on a tmpfs of `size` mounted at images/; it prints what is left there when it is done.
const onSmallDisk = (images: string, size: string) => [
  'unshare',
  '--user',
  '--map-root-user',
  '--mount',
  '--',
  'sh',
  '-c',
  `mount -t tmpfs -o size=${size} tmpfs "$0" && "$@"; code=$?; echo "left: $(cd "$0" && find . -name ` +
    `'*.tmp' -o -name 'ubuntu0.img' -o -name 'efivars.fd' | sort | tr '\\n' ' ')" >&2; exit $code`,
  images,
];

test.before(async () => {
  dir = tempDir('kubenet-full-disk-');
  server = await startFaultServer();
  if (!ready) return;
  // A tiny but real qcow2 as the cloud image: qemu-img opens the backing file of an overlay.
  const base = join(dir.path, 'base.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '1M']);
  publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    'jammy-server-cloudimg-arm64.img',
    readFileSync(base),
  );
});
test.after(async () => {
  await server?.close();
  dir?.remove();
});

const run = (args: string[], size: string, arch = 'aarch64') => {
  const images = join(dir.path, `images-${args[1]}`);
  mkdirSync(images, { recursive: true });
  return kubenetAsync([...args, '--arch', arch, '--mirror', server.url, '--images', images], {
    timeoutMs: 90_000,
    wrapper: onSmallDisk(images, size),
    env: { HOME: join(dir.path, 'home') },
  });
};

testWhen(
  test,
  ready,
  why,
  "no room for the overlay: exit 10, no space left for ubuntu0.img, the disk named — not qemu-img's words with exit 1",
  async () => {
    // the 192 KiB image and its records fit; its 192 KiB overlay does not
    const r = await run(['run', 'cloud-image'], '320k');
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(r.stderr, /no space left on the device for the new disk ubuntu0\.img \(.*ubuntu0\.img\)/);
    assert.match(r.stderr, /the disk mounted at .*images-cloud-image has \d+\.\d MiB free/);
    assert.not.match(r.stderr, 'live ISO');
    assert.match(r.stderr, /left: \s*$/m, 'no half-made disk or temp file is left');
  },
);

testWhen(
  test,
  ready,
  why,
  "no room for the UEFI variables: exit 10, the disk named and the size it takes — not the live ISO's",
  async () => {
    // x86_64: OVMF's variable store holds data (aarch64's AAVMF template is all zeros: its sparse
    // copy takes no space at all). Bounded, should the copy fit after all and the VM boot.
    const r = await run(['run', 'uefi', '--headless', '--until', 'never printed', '--timeout', '20'], '256k', 'x86_64');
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(r.stderr, /no space left on the device for the VM's copy of the UEFI variables \(.*efivars\.fd\)/);
    assert.match(r.stderr, /it takes \d+\.\d MiB; the disk mounted at .*images-uefi has \d+\.\d MiB free/);
    assert.not.match(r.stderr, 'live ISO');
    assert.not.match(r.stderr, 'partial download');
    assert.match(r.stderr, /left: \s*$/m, 'no partial copy is left');
  },
);

test.run();
