import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseAccel } from '../../lib/host/accel.js';
import type { Accel, GuestArch, HostOs } from '../../lib/host/types.js';

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
  test(`${hostOs}-${hostArch} running ${guestArch}${kvmUsable ? ' with /dev/kvm' : ''}${override ? ` --accel ${override}` : ''} → ${expected}`, () => {
    const choice = chooseAccel({ profile: { hostOs, hostArch, guestArch }, kvmUsable, override });
    assert.is(choice.accel, expected);
    assert.ok(choice.why.length > 5, 'says why');
  });
}

test('tcg on linux without /dev/kvm says what to do', () => {
  const choice = chooseAccel({ profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' }, kvmUsable: false });
  assert.match(choice.why, '/dev/kvm');
});

test.run();
