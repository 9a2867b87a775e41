// End to end on a host like some of the project's own machines, whose /dev/kvm is served by
// kvm_pvm and cannot run UEFI firmware — QEMU either stops the VM ("KVM internal error") and waits,
// or aborts at once ("failed to set MSR"), by kernel: without flags kubenet probes kvm, records why
// it cannot use it, and boots the x86_64 guest under tcg; with --accel kvm the boot fails at once in
// QEMU's words — headless and on a terminal — instead of waiting for its timeout, and no QEMU is
// left. What QEMU says is learned from QEMU itself (helpers/kvm-host.ts), not from kubenet.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QemuFacts } from '../../lib/host/types.js';
import { binPath, kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { kvmPvmHost, kvmTruth, needsKvmPvm, type KvmTruth } from '../helpers/kvm-host.js';
import { killProcessesMentioning, killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { runInPty } from '../helpers/pty.js';
import { testOnHost } from '../helpers/skip.js';
import { assertSeedFoundAndQemuGone, cloudImageBoot, GUEST_MARKERS, testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: a kvm_pvm host');
const onPvm = kvmPvmHost();
let server: FaultServer | undefined;
let dir: ReturnType<typeof tempDir>;
let images: string;
let truth: Extract<KvmTruth, { works: false }>;

test.before(async () => {
  dir = tempDir('kubenet-e2e-pvm-');
  images = join(dir.path, 'images');
  if (!onPvm) return;
  const t = kvmTruth();
  if (!t || t.works)
    throw new Error("a kvm_pvm host whose QEMU runs OVMF under kvm: this test's premise is wrong here");
  truth = t;
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

// A boot that QEMU stopped must fail well within this, although its --timeout is 240 s.
const stoppedBootBoundMs = 60_000;
// How kubenet's words for the failure begin, for the way QEMU fails here.
const failedAs = () => (truth.stopped ? 'QEMU stopped the VM with' : 'QEMU aborted while setting up the vCPU with');
const facts = () => JSON.parse(readFileSync(join(images, 'qemu.json'), 'utf8')) as QemuFacts;
const kubenet = (args: string[], timeoutMs: number) =>
  kubenetAsync([...args, '--images', images], { timeoutMs, env: { HOME: join(dir.path, 'home') } });

testOnHost(
  test,
  onPvm,
  needsKvmPvm,
  '00-qemu probes kvm, records tcg with the reason, and warns in one line',
  async () => {
    const r = await kubenet(['run', '00-qemu'], 60_000);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const { accel } = facts();
    assert.is(accel.accel, 'tcg');
    assert.is(accel.probe?.accel, 'kvm');
    assert.is(accel.probe?.verdict, 'unusable');
    assert.match(accel.probe?.reason ?? '', `with "${truth.said}"`);
    assert.match(
      r.stdout,
      `  00-qemu: warning: accelerator: tcg — accel=kvm cannot run a VM here: ${accel.probe?.reason}`,
    );
  },
);

testOnHost(
  test,
  onPvm,
  needsKvmPvm,
  'kubenet doctor says kvm cannot run a VM here, not that /dev/kvm is usable',
  async () => {
    const r = await kubenet(['doctor'], 60_000);
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`^warn +accelerator +tcg .*${escapeRegExp(`"${truth.said}"`)}`, 'm'));
    assert.match(r.stdout, /→ nothing to do: kubenet uses accel=tcg on this host; \/dev\/kvm here is kvm_pvm/);
    assert.not.match(r.stdout, '/dev/kvm is usable');
  },
);

testOnHost(test, onPvm, needsKvmPvm, 'run 03-cloud-image without flags boots the x86_64 guest under tcg', async () => {
  const r = await kubenet(
    cloudImageBoot(GUEST_MARKERS.done, 300, ['--mirror', server?.url ?? '', '--memory', '512M']),
    420_000,
  );
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, 'no hardware acceleration: accel=kvm cannot run a VM here');
  assertSeedFoundAndQemuGone(images);
});

testOnHost(
  test,
  onPvm,
  needsKvmPvm,
  "with --accel kvm a headless boot fails at once in QEMU's words, and no QEMU is left",
  async () => {
    const r = await kubenet(
      cloudImageBoot(GUEST_MARKERS.done, 240, ['--accel', 'kvm', '--offline']),
      stoppedBootBoundMs,
    );
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(r.stdout, /00-qemu: warning: accelerator: kvm — --accel kvm, although its probe failed/);
    assert.match(
      r.stderr,
      `kubenet: qemu-system-x86_64 could not run ubuntu0: accel=kvm cannot run it here: ${failedAs()} "`,
    );
    assert.match(r.stderr, `QEMU said:\n  ${truth.said}\n`);
    assert.match(r.stderr, '→ run with --accel tcg');
    assert.not.match(r.stderr, 'gave up');
    assert.equal(qemuProcessesIn(images), []);
  },
);

testOnHost(
  test,
  onPvm,
  needsKvmPvm,
  'with --accel kvm a boot on the terminal fails at once too, instead of hanging',
  async () => {
    const r = await runInPty(
      [process.execPath, binPath, 'run', '03-cloud-image', '--accel', 'kvm', '--offline', '--images', images],
      {
        columns: 100,
        rows: 30,
        // A person at a terminal without a display: the console is this terminal.
        env: {
          ...Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !['CI', 'DISPLAY', 'WAYLAND_DISPLAY'].includes(k)),
          ),
          HOME: join(dir.path, 'home'),
        },
        timeoutMs: stoppedBootBoundMs,
        maxBytes: 1024 * 1024,
      },
    );
    assert.is(r.stopped, undefined, `stopped (${r.stopped}):\n${r.output}`);
    assert.is(r.code, 10, r.output);
    assert.match(r.output, `accel=kvm cannot run it here: ${failedAs()} "`);
    assert.equal(qemuProcessesIn(images), []);
  },
);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test.run();
