// End to end where KVM runs UEFI firmware (a learner's Linux machine, the guide's `accel=kvm`):
// 00-qemu tries kvm, finds it usable and records it, and the x86_64 guest boots with `-cpu host`.
// None of the project's CI machines has such a KVM, so there this is a visible, counted skip.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QemuFacts } from '../../lib/host/types.js';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { needsWorkingKvm, workingKvmHost } from '../helpers/kvm-host.js';
import { killProcessesMentioning, killQemuIn } from '../helpers/processes.js';
import { testOnHost } from '../helpers/skip.js';
import { assertSeedFoundAndQemuGone, cloudImageBoot, GUEST_MARKERS, testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: a host whose KVM works');
const works = workingKvmHost();
let server: FaultServer | undefined;
let dir: ReturnType<typeof tempDir>;
let images: string;

test.before(async () => {
  dir = tempDir('kubenet-e2e-kvm-');
  images = join(dir.path, 'images');
  if (!works) return;
  const guest = await testGuest('x86_64');
  server = await startFaultServer();
  publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    'jammy-server-cloudimg-amd64.img',
    readFileSync(guest.cloudImage),
  );
});
test.after(async () => {
  killQemuIn(images);
  killProcessesMentioning(dir.path);
  await server?.close();
  dir.remove();
});

const kubenet = (args: string[], timeoutMs: number) =>
  kubenetAsync([...args, '--images', images, '--arch', 'x86_64'], { timeoutMs, env: { HOME: join(dir.path, 'home') } });

testOnHost(
  test,
  works,
  needsWorkingKvm,
  '00-qemu finds kvm usable by running the firmware under it, and records it',
  async () => {
    const r = await kubenet(['run', '00-qemu'], 60_000);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const { accel } = JSON.parse(readFileSync(join(images, 'qemu.json'), 'utf8')) as QemuFacts;
    assert.is(accel.accel, 'kvm');
    assert.is(accel.probe?.verdict, 'usable', accel.probe?.reason);
    assert.not.match(r.stdout, 'warning: accelerator');
  },
);

testOnHost(
  test,
  works,
  needsWorkingKvm,
  "run 03-cloud-image boots the x86_64 guest with the guide's accel=kvm and -cpu host",
  async () => {
    const r = await kubenet(
      cloudImageBoot(GUEST_MARKERS.cidataFound, 120, ['--mirror', server?.url ?? '', '--memory', '512M']),
      180_000,
    );
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /-machine q35,accel=kvm/);
    assert.match(r.stdout, /-cpu host/);
    assertSeedFoundAndQemuGone(images);
  },
);

test.run();
