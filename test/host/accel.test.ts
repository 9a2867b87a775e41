import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseAccel } from '../../lib/host/accel.js';
import type { Accel, AccelProbe, GuestArch, HostOs } from '../../lib/host/types.js';

const test = suite('chooseAccel');

const table: [HostOs, string, GuestArch, boolean, Accel | undefined, Accel][] = [
  // hostOs, hostArch, guestArch, kvmUsable, override → accel
  ['darwin', 'aarch64', 'aarch64', false, undefined, 'hvf'],
  ['darwin', 'aarch64', 'x86_64', false, undefined, 'tcg'],
  ['linux', 'x86_64', 'x86_64', true, undefined, 'kvm'],
  ['linux', 'x86_64', 'x86_64', false, undefined, 'tcg'],
  ['linux', 'x86_64', 'aarch64', true, undefined, 'tcg'],
  ['linux', 'aarch64', 'aarch64', true, undefined, 'kvm'],
  ['linux', 'x86_64', 'x86_64', true, 'tcg', 'tcg'],
  ['other', 'x86_64', 'x86_64', true, undefined, 'tcg'],
];
for (const [hostOs, hostArch, guestArch, kvmUsable, override, expected] of table) {
  test(
    `${hostOs}-${hostArch} running ` +
      `${guestArch}${kvmUsable ? ' with /dev/kvm' : ''}${override ? ` --accel ${override}` : ''} → ${expected}`,
    () => {
      const choice = chooseAccel({ profile: { hostOs, hostArch, guestArch }, kvmUsable, override });
      assert.is(choice.accel, expected);
      assert.ok(choice.why.length > 5, 'says why');
    },
  );
}

test('tcg on linux without /dev/kvm says what to do', () => {
  const choice = chooseAccel({
    profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
    kvmUsable: false,
  });
  assert.match(choice.why, '/dev/kvm');
});

test('tcg on linux with no /dev/kvm at all does not send the user to the kvm group', () => {
  const choice = chooseAccel({
    profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
    kvmUsable: false,
    kvmMissing: true,
  });
  assert.is(choice.accel, 'tcg');
  assert.match(choice.why, /^there is no \/dev\/kvm: emulating/);
  assert.not.match(choice.why, 'kvm group');
});

const linux = { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' } as const;
const probe = (verdict: AccelProbe['verdict'], accel: Accel = 'kvm'): AccelProbe => ({
  accel,
  verdict,
  ms: 150,
  reason:
    verdict === 'unusable'
      ? 'QEMU stopped the VM (internal-error) with "KVM internal error. Suberror: 1"'
      : verdict === 'usable'
        ? 'the firmware ran for 1.5 s under accel=kvm'
        : 'QEMU did not answer on QMP within 5 s',
});

test("kvm whose probe failed gives way to tcg, and the reason is the probe's", () => {
  const choice = chooseAccel({ profile: linux, kvmUsable: true, probe: probe('unusable') });
  assert.is(choice.accel, 'tcg');
  assert.is(
    choice.why,
    'accel=kvm cannot run a VM here: QEMU stopped the VM (internal-error) ' +
      'with "KVM internal error. Suberror: 1"; emulating (TCG, slow)',
  );
  assert.equal(choice.probe, probe('unusable'), 'the probe is recorded');
});

test('--accel kvm stays kvm when its probe failed, and says so', () => {
  const choice = chooseAccel({ profile: linux, kvmUsable: true, override: 'kvm', probe: probe('unusable') });
  assert.is(choice.accel, 'kvm');
  assert.match(choice.why, /^--accel kvm, although its probe failed: QEMU stopped the VM/);
});

test('kvm that ran the firmware stays kvm, with the probe recorded', () => {
  const choice = chooseAccel({ profile: linux, kvmUsable: true, probe: probe('usable') });
  assert.is(choice.accel, 'kvm');
  assert.equal(choice.probe, probe('usable'));
});

test('a probe that could not tell keeps kvm and says so (the run still watches QEMU)', () => {
  const choice = chooseAccel({ profile: linux, kvmUsable: true, probe: probe('unknown') });
  assert.is(choice.accel, 'kvm');
  assert.match(choice.why, 'its probe could not tell (QEMU did not answer on QMP within 5 s)');
});

test('hvf whose probe failed on a Mac gives way to tcg too', () => {
  const choice = chooseAccel({
    profile: { hostOs: 'darwin', hostArch: 'aarch64', guestArch: 'aarch64' },
    kvmUsable: false,
    probe: probe('unusable', 'hvf'),
  });
  assert.is(choice.accel, 'tcg');
  assert.match(choice.why, /^accel=hvf cannot run a VM here: /);
});

test('a probe of another accelerator than the one chosen is ignored', () => {
  const choice = chooseAccel({ profile: linux, kvmUsable: false, probe: probe('unusable') });
  assert.is(choice.accel, 'tcg');
  assert.is(choice.probe, undefined);
  assert.match(choice.why, '/dev/kvm is there but this user may not open it');
});

test.run();
