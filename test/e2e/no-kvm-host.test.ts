// End to end on a host without /dev/kvm (a CI runner, a VM without nested virtualization): this
// host when it has none, else a mount namespace whose /dev lacks kvm (helpers/kvm-host.ts) — as
// real to QEMU and kubenet as a machine without the device. 00-qemu picks tcg without trying kvm
// and says why, doctor says what would help, the guest boots under tcg, and --accel kvm fails at
// once in QEMU's words, exit 10, with nothing left running.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QemuFacts } from '../../lib/host/types.js';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { needsNoKvm, noKvmHostPossible, withoutDevKvm } from '../helpers/kvm-host.js';
import { killProcessesMentioning, killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { testOnHost } from '../helpers/skip.js';
import { assertSeedFoundAndQemuGone, cloudImageBoot, GUEST_MARKERS, testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: a host without /dev/kvm');
const possible = noKvmHostPossible();
let server: FaultServer | undefined;
let dir: ReturnType<typeof tempDir>;
let images: string;

test.before(async () => {
  dir = tempDir('kubenet-e2e-nokvm-');
  images = join(dir.path, 'images');
  if (!possible) return;
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

const facts = () => JSON.parse(readFileSync(join(images, 'qemu.json'), 'utf8')) as QemuFacts;
const kubenet = (args: string[], timeoutMs: number) =>
  kubenetAsync([...args, '--images', images, '--arch', 'x86_64'], {
    timeoutMs,
    env: { HOME: join(dir.path, 'home') },
    wrapper: withoutDevKvm(),
  });

testOnHost(test, possible, needsNoKvm, '00-qemu records tcg without trying kvm, and says why in one line', async () => {
  const r = await kubenet(['run', '00-qemu'], 60_000);
  assert.is(r.code, 0, r.stderr + r.stdout);
  const { accel } = facts();
  assert.is(accel.accel, 'tcg');
  assert.is(accel.probe, undefined, 'nothing to probe without /dev/kvm');
  assert.match(accel.why, /^there is no \/dev\/kvm: emulating \(TCG, slow\)/);
  assert.match(r.stdout, /^ {2}00-qemu: accelerator: tcg — there is no \/dev\/kvm: emulating/m);
  assert.not.match(r.stdout, 'kvm group', 'no group membership makes a device that does not exist');
});

testOnHost(
  test,
  possible,
  needsNoKvm,
  'kubenet doctor warns that every boot is emulated, and says what would help',
  async () => {
    const r = await kubenet(['doctor'], 60_000);
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^warn +accelerator +tcg \(emulation, several times slower\) — there is no \/dev\/kvm/m);
    assert.match(r.stdout, '→ enable virtualization');
    assert.not.match(r.stdout, '/dev/kvm is usable');
  },
);

testOnHost(
  test,
  possible,
  needsNoKvm,
  'run 03-cloud-image without flags boots the x86_64 guest under tcg',
  async () => {
    const r = await kubenet(
      cloudImageBoot(GUEST_MARKERS.cidataFound, 300, ['--mirror', server?.url ?? '', '--memory', '512M']),
      420_000,
    );
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /-machine q35,accel=tcg/);
    assertSeedFoundAndQemuGone(images);
  },
);

testOnHost(
  test,
  possible,
  needsNoKvm,
  "with --accel kvm a headless boot fails at once in QEMU's words, exit 10, and no QEMU is left",
  async () => {
    const r = await kubenet(cloudImageBoot(GUEST_MARKERS.done, 240, ['--accel', 'kvm', '--offline']), 60_000);
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(r.stderr, 'kubenet: qemu-system-x86_64 could not run ubuntu0: KVM is not available');
    assert.match(r.stderr, 'Could not access KVM kernel module: No such file or directory');
    assert.match(r.stderr, '→ load kvm_intel or kvm_amd');
    assert.not.match(r.stderr, 'gave up');
    assert.equal(qemuProcessesIn(images), []);
  },
);

testOnHost(
  test,
  possible,
  needsNoKvm,
  'that host keeps the rest of /dev: a terminal opens there (a pty for root and for an ordinary user)',
  () => {
    const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
    for (const who of [[], asNobody]) {
      const argv = [...withoutDevKvm(), ...who, 'script', '-qc', 'test ! -e /dev/kvm && tty', '/dev/null'];
      const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
      assert.is(r.status, 0, `${argv.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^\/dev\/pts\/\d+/m);
    }
  },
);

test.run();
