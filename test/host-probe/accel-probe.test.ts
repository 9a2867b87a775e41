// The accelerator probe: real QEMU where this host allows (tcg runs the firmware; hvf does not
// exist on Linux; kvm_pvm stops or aborts it; a working KVM runs it), and a stand-in QEMU for what a host cannot show
// on demand
// (a QMP that never answers). Every probe ends within its bound and leaves no process or
// temp folder behind.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { probeAccel, type ProbeInput } from '../../lib/host-probe/accel-probe.js';
import type { AccelProbe } from '../../lib/host/types.js';
import { which } from '../../lib/host/which.js';
import { fakeQemuEnv, writeFakeQemu } from '../helpers/fake-qmp.js';
import { kvmPvmHost, kvmTruth, needsKvmPvm, needsWorkingKvm, workingKvmHost } from '../helpers/kvm-host.js';
import { processesMentioning } from '../helpers/processes.js';
import { testOnHost, testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('probeAccel');
const ovmf = { mode: 'bios', code: '/usr/share/ovmf/OVMF.fd', source: 'distro', why: 'test' } as const;
const hasQemu = Boolean(which('qemu-system-x86_64')) && existsSync(ovmf.code);
const needsQemu = 'QEMU for x86_64 guests and OVMF are not installed (apt-get install qemu-system-x86 ovmf)';
const x86 = (accel: ProbeInput['accel']): ProbeInput => ({
  qemu: which('qemu-system-x86_64') ?? 'qemu-system-x86_64',
  guestArch: 'x86_64',
  accel,
  firmware: ovmf,
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const probeDirs = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('kubenet-probe-')));
let before: Set<string>;
test.before.each(() => {
  before = probeDirs();
});

// The probe's own bound is 5 s; the test allows it twice that, and checks it cleaned up.
async function probe(input: ProbeInput): Promise<AccelProbe> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('the probe did not end within 10 s')), 10_000)),
  );
  try {
    const result = await Promise.race([probeAccel(input), late]);
    assert.equal(
      [...probeDirs()].filter((d) => !before.has(d)),
      [],
      'no temp folder left',
    );
    return result;
  } finally {
    clearTimeout(timer);
  }
}

testWhen(
  test,
  hasQemu,
  needsQemu,
  'firmware that keeps running is usable (tcg here, the path a healthy kvm takes)',
  async () => {
    const result = await probe({ ...x86('tcg'), settleMs: 1000 });
    assert.is(result.verdict, 'usable', result.reason);
    assert.is(result.reason, 'the firmware ran for 1 s under accel=tcg');
    assert.ok(result.ms >= 1000, `took ${result.ms} ms`);
  },
);

testWhen(test, hasQemu, needsQemu, "an accelerator this QEMU does not have is unusable, in QEMU's words", async () => {
  const result = await probe(x86('hvf'));
  assert.is(result.verdict, 'unusable');
  assert.match(result.reason, /^QEMU exited \(code 1\) with "qemu-system-x86_64: invalid accelerator hvf"$/);
});

// kvm_pvm fails in one of two ways, by kernel: QEMU stops the VM ("KVM internal error") and waits,
// or aborts at once ("failed to set MSR"). The probe must report what QEMU itself does here.
testOnHost(
  test,
  kvmPvmHost(),
  needsKvmPvm,
  'on a kvm_pvm host kvm is unusable, in the words QEMU itself uses here',
  async () => {
    const truth = kvmTruth();
    assert.ok(truth && !truth.works, 'QEMU itself cannot run OVMF under kvm here');
    const result = await probe(x86('kvm'));
    assert.is(result.verdict, 'unusable');
    if (truth.stopped) assert.is(result.reason, `QEMU stopped the VM (internal-error) with "${truth.said}"`);
    else
      assert.match(
        result.reason,
        new RegExp(`^QEMU (exited \\(code \\d+\\)|was killed by SIG[A-Z]+) with "${escapeRegExp(truth.said)}"$`),
      );
    process.stdout.write(
      `\n  probe cost on this kvm_pvm host: ${result.ms} ms ` +
        `(${truth.stopped ? 'QEMU stopped the VM' : 'QEMU exited'})\n`,
    );
  },
);

testOnHost(test, workingKvmHost(), needsWorkingKvm, 'where KVM runs the firmware, kvm is usable', async () => {
  const result = await probe(x86('kvm'));
  assert.is(result.verdict, 'usable', result.reason);
  assert.is(result.reason, 'the firmware ran for 1.5 s under accel=kvm');
});

test('a QEMU whose QMP never answers: the verdict is unknown, within the bound, and QEMU is killed', async () => {
  const dir = tempDir('kubenet-fake-qemu-');
  const undo = fakeQemuEnv({ silent: true });
  try {
    const result = await probe({ ...x86('kvm'), qemu: writeFakeQemu(dir.path), boundMs: 1000 });
    assert.is(result.verdict, 'unknown');
    assert.is(result.reason, 'QEMU did not answer on QMP within 1 s');
  } finally {
    undo();
    dir.remove();
  }
});

// Seen on a kvm_pvm host: QEMU's QMP socket hangs up as QEMU aborts, a moment before its exit is
// seen. That is an unusable accelerator, not a probe that "could not tell" (which keeps kvm).
test('a QEMU whose QMP hangs up as it aborts is unusable, not unknown', async () => {
  const dir = tempDir('kubenet-fake-qemu-');
  const undo = fakeQemuEnv({ abort: true, stderr: 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n' });
  try {
    const result = await probe({ ...x86('kvm'), qemu: writeFakeQemu(dir.path) });
    assert.is(result.verdict, 'unusable', result.reason);
    assert.is(
      result.reason,
      'QEMU was killed by SIGABRT with "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69"',
    );
  } finally {
    undo();
    dir.remove();
  }
});

test('a QEMU that reports internal-error is unusable, with the first line it printed', async () => {
  const dir = tempDir('kubenet-fake-qemu-');
  const undo = fakeQemuEnv({
    status: 'internal-error',
    stderr: 'KVM internal error. Suberror: 1\nextra data[0]: 0x1\nemulation failure\n',
  });
  try {
    const result = await probe({ ...x86('hvf'), qemu: writeFakeQemu(dir.path) });
    assert.is(result.verdict, 'unusable');
    assert.is(result.accel, 'hvf');
    assert.is(result.reason, 'QEMU stopped the VM (internal-error) with "KVM internal error. Suberror: 1"');
  } finally {
    undo();
    dir.remove();
  }
});

test('a QEMU path that does not exist is a verdict naming it, not a crash', async () => {
  const result = await probe({ ...x86('kvm'), qemu: '/nonexistent/qemu-system-x86_64' });
  // setpriv (Linux) starts and then cannot exec it; without setpriv the spawn itself fails.
  assert.ok(result.verdict !== 'usable', result.verdict);
  assert.match(result.reason, /^QEMU (exited \(code 127\)|did not start).*\/nonexistent\/qemu-system-x86_64/);
});

testWhen(test, hasQemu, needsQemu, 'no QEMU is left running after a probe, whatever its verdict', async () => {
  await probe({ ...x86('tcg'), settleMs: 500 });
  await probe(x86('hvf'));
  assert.equal(processesMentioning('kubenet-probe-'), [], 'no process names a probe folder'); // its QMP socket is there
});

test.run();
