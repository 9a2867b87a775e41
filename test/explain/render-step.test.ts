// The text of `kubenet explain`: the guide's command, this host's, the differences and every option.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideInput } from '../../lib/explain/guide-input.js';
import { renderStep } from '../../lib/explain/render-step.js';
import { guideStepInfo } from '../../lib/guide/step-list.js';
import type { QemuFacts } from '../../lib/host/types.js';

const test = suite('explain: rendered step');

const tcgFacts: QemuFacts = {
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'aarch64' },
  qemu: '/usr/bin/qemu-system-aarch64',
  qemuImg: '/usr/bin/qemu-img',
  version: '7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)',
  semver: [7, 2, 22],
  firmware: { mode: 'bios', code: '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd', source: 'distro', why: 'distro firmware /usr/share/qemu-efi-aarch64/QEMU_EFI.fd' },
  accel: { accel: 'tcg', why: 'KVM runs only x86_64 guests; aarch64 is emulated (TCG, slow)' },
};

test('step 6 shows both commands, why they differ, and every option once', () => {
  const text = renderStep({ info: guideStepInfo(6)!, guide: guideInput('aarch64'), host: { facts: tcgFacts, input: { profile: tcgFacts.profile, facts: tcgFacts } } });
  assert.match(text, 'run it: kubenet run 02-live-cd --step 6');
  assert.match(text, '$ sudo qemu-system-aarch64');
  assert.match(text, 'This host (linux-x86_64) runs:');
  assert.match(text, '  guide: -cpu host\n  here:  -cpu max,pauth-impdef=on');
  assert.match(text, 'same as: -netdev user,id=net0 -device virtio-net-pci,netdev=net0');
  assert.match(text, 'same as: -netdev vmnet-shared,id=net0');
  assert.not.match(text, 'no explanation yet');
  assert.is(text.split('\n').filter((l) => l === '  -nodefaults').length, 1, 'an option shared by both commands is explained once');
});

test('on the guide\'s own host the command is the guide\'s', () => {
  const guide = guideInput('x86_64');
  const text = renderStep({ info: guideStepInfo(3)!, guide, host: { input: guide } });
  assert.match(text, 'runs exactly the guide\'s command');
  assert.not.match(text, 'Where this host differs');
});

test('without QEMU facts it still explains the guide and says how to find out more', () => {
  const text = renderStep({ info: guideStepInfo(9)!, guide: guideInput('aarch64'), host: { error: 'qemu-system-aarch64 not found' } });
  assert.match(text, 'qemu-img create -F qcow2 -b jammy-server-cloudimg-arm64.img -f qcow2 ubuntu0.img 128G');
  assert.match(text, 'This host: unknown (qemu-system-aarch64 not found); run kubenet doctor.');
  assert.match(text, 'qemu-img -b jammy-server-cloudimg-arm64.img');
});

test('step 1 explains the QEMU_VERSION line and shows this host\'s value', () => {
  const text = renderStep({ info: guideStepInfo(1)!, guide: guideInput('aarch64'), host: { facts: tcgFacts } });
  assert.match(text, 'QEMU_VERSION=$(qemu-system-aarch64 --version | head -n 1 | sed "s/^QEMU emulator version //")');
  assert.match(text, 'QEMU_VERSION=7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3) (/usr/bin/qemu-system-aarch64)');
  assert.match(text, 'run it: kubenet run 00-qemu\n');
});

test.run();
