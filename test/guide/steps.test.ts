// Golden tests: for each host profile, the argv of every QEMU step is the guide's command token
// for token. The expected lists are written out by hand from chapter-01.md, not generated.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideStep, vmSteps, type StepInput, type VmStep } from '../../lib/guide/steps.js';
import { guideHostCommands } from '../../lib/guide/host-commands.js';
import { buildCommand } from '../../lib/qemu/build-command.js';
import { isKubenetError } from '../../lib/errors.js';

const darwin: StepInput = {
  profile: { hostOs: 'darwin', hostArch: 'aarch64', guestArch: 'aarch64' },
  facts: {
    firmware: { mode: 'bios', code: '/opt/homebrew/share/qemu/edk2-aarch64-code.fd', source: 'homebrew', why: 'Homebrew prefix' },
    accel: { accel: 'hvf', why: 'macOS Hypervisor.framework' },
  },
};

const linux: StepInput = {
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
  facts: {
    firmware: { mode: 'bios', code: '/usr/share/qemu/OVMF.fd', source: 'distro', why: 'Debian ovmf' },
    accel: { accel: 'kvm', why: '/dev/kvm' },
  },
};

const fw = '/opt/homebrew/share/qemu/edk2-aarch64-code.fd';

// darwin-arm64: the guide's main text.
const darwinArgv: Record<VmStep, string[]> = {
  2: ['-machine', 'virt,accel=hvf', '-cpu', 'host'],
  3: ['-nodefaults', '-machine', 'virt,accel=hvf', '-cpu', 'host', '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-serial', 'vc'],
  4: ['-nodefaults', '-machine', 'virt,accel=hvf', '-cpu', 'host', '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-serial', 'vc',
    '-bios', fw],
  5: ['-nodefaults', '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-serial', 'vc', '-bios', fw, '-cdrom', 'jammy-desktop-arm64.iso'],
  6: ['-nodefaults', '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-serial', 'vc', '-bios', fw, '-cdrom', 'jammy-desktop-arm64.iso',
    '-nic', 'vmnet-shared'],
  7: ['-nodefaults', '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-serial', 'vc', '-bios', fw, '-cdrom', 'jammy-desktop-arm64.iso',
    '-nic', 'vmnet-shared',
    '-device', 'virtio-gpu-pci', '-display', 'cocoa,show-cursor=on', '-device', 'nec-usb-xhci', '-device', 'usb-mouse',
    '-device', 'usb-tablet', '-device', 'usb-kbd', '-audiodev', 'coreaudio,id=audio0', '-device', 'ich9-intel-hda',
    '-device', 'hda-output,audiodev=audio0'],
  8: ['-nodefaults', '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-serial', 'vc', '-bios', fw, '-cdrom', 'jammy-desktop-arm64.iso',
    '-nic', 'vmnet-shared', '-hda', 'ubuntu.img',
    '-device', 'virtio-gpu-pci', '-display', 'cocoa,show-cursor=on', '-device', 'nec-usb-xhci', '-device', 'usb-mouse',
    '-device', 'usb-tablet', '-device', 'usb-kbd', '-audiodev', 'coreaudio,id=audio0', '-device', 'ich9-intel-hda',
    '-device', 'hda-output,audiodev=audio0'],
  10: ['-nographic', '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G', '-bios', fw,
    '-nic', 'vmnet-shared', '-hda', 'ubuntu0.img'],
  11: ['-nographic', '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G', '-bios', fw,
    '-nic', 'vmnet-shared', '-hda', 'ubuntu0.img', '-drive', 'file=cidata.iso,driver=raw,if=virtio'],
};

const ovmf = '/usr/share/qemu/OVMF.fd';

// linux-x86_64: the guide's Linux edition (q35 + kvm, -vga std for the live console, -nic user,
// and for step 7 kubenet's gtk/pa where the edition is silent).
const linuxArgv: Record<VmStep, string[]> = {
  2: ['-machine', 'q35,accel=kvm', '-cpu', 'host'],
  3: ['-nodefaults', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-vga', 'std'],
  4: ['-nodefaults', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-vga', 'std',
    '-bios', ovmf],
  5: ['-nodefaults', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-vga', 'std', '-bios', ovmf, '-cdrom', 'jammy-desktop-amd64.iso'],
  6: ['-nodefaults', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-vga', 'std', '-bios', ovmf, '-cdrom', 'jammy-desktop-amd64.iso',
    '-nic', 'user'],
  7: ['-nodefaults', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-vga', 'std', '-bios', ovmf, '-cdrom', 'jammy-desktop-amd64.iso',
    '-nic', 'user',
    '-device', 'virtio-gpu-pci', '-display', 'gtk,show-cursor=on', '-device', 'nec-usb-xhci', '-device', 'usb-mouse',
    '-device', 'usb-tablet', '-device', 'usb-kbd', '-audiodev', 'pa,id=audio0', '-device', 'ich9-intel-hda',
    '-device', 'hda-output,audiodev=audio0'],
  8: ['-nodefaults', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'vc,id=monitor', '-mon', 'monitor', '-vga', 'std', '-bios', ovmf, '-cdrom', 'jammy-desktop-amd64.iso',
    '-nic', 'user', '-hda', 'ubuntu.img',
    '-device', 'virtio-gpu-pci', '-display', 'gtk,show-cursor=on', '-device', 'nec-usb-xhci', '-device', 'usb-mouse',
    '-device', 'usb-tablet', '-device', 'usb-kbd', '-audiodev', 'pa,id=audio0', '-device', 'ich9-intel-hda',
    '-device', 'hda-output,audiodev=audio0'],
  10: ['-nographic', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-smp', '2', '-m', '2G', '-bios', ovmf,
    '-nic', 'user', '-hda', 'ubuntu0.img'],
  11: ['-nographic', '-machine', 'q35,accel=kvm', '-cpu', 'host', '-smp', '2', '-m', '2G', '-bios', ovmf,
    '-nic', 'user', '-hda', 'ubuntu0.img', '-drive', 'file=cidata.iso,driver=raw,if=virtio'],
};

const golden = suite('guide steps: the guide\'s argv, token for token');

for (const step of vmSteps) {
  golden(`darwin-arm64 step ${step}`, () => {
    const cmd = buildCommand(guideStep(step, darwin));
    assert.is(cmd.exe, 'qemu-system-aarch64');
    assert.equal(cmd.args, darwinArgv[step]);
    assert.is(cmd.sudo, step >= 6, 'sudo from step 6 on (vmnet)');
  });
  golden(`linux-x86_64 step ${step}`, () => {
    const cmd = buildCommand(guideStep(step, linux));
    assert.is(cmd.exe, 'qemu-system-x86_64');
    assert.equal(cmd.args, linuxArgv[step]);
    assert.is(cmd.sudo, false, 'user networking needs no root');
  });
}

golden.run();

const host = suite('guide steps: the commands that are not QEMU');

const hostCases: { name: string; input: StepInput; step: number; exe: string; args: string[] }[] = [
  { name: 'step 8 creates the 128G install disk', input: darwin, step: 8, exe: 'qemu-img', args: ['create', '-f', 'qcow2', 'ubuntu.img', '128G'] },
  { name: 'step 9 creates the overlay on the arm64 cloud image', input: darwin, step: 9, exe: 'qemu-img',
    args: ['create', '-F', 'qcow2', '-b', 'jammy-server-cloudimg-arm64.img', '-f', 'qcow2', 'ubuntu0.img', '128G'] },
  { name: 'step 9 on linux backs the overlay with the amd64 cloud image', input: linux, step: 9, exe: 'qemu-img',
    args: ['create', '-F', 'qcow2', '-b', 'jammy-server-cloudimg-amd64.img', '-f', 'qcow2', 'ubuntu0.img', '128G'] },
  { name: 'step 11 shows the guide\'s mkisofs line, brace-expanded', input: darwin, step: 11, exe: 'mkisofs',
    args: ['-output', 'cidata.iso', '-volid', 'cidata', '-joliet', '-rock', 'cloud-init/user-data', 'cloud-init/meta-data'] },
];

for (const c of hostCases) {
  host(c.name, () => {
    const [cmd, ...rest] = guideHostCommands(c.step, c.input);
    assert.is(rest.length, 0);
    assert.is(cmd?.exe, c.exe);
    assert.equal(cmd?.args, c.args);
  });
}

host('only the mkisofs line is for display; kubenet runs the qemu-img ones', () => {
  assert.is(guideHostCommands(11, darwin)[0]?.displayOnly, true);
  assert.is(guideHostCommands(9, darwin)[0]?.displayOnly, undefined);
});

host('the disk size follows resources.diskSize', () => {
  const [cmd] = guideHostCommands(9, { ...linux, resources: { diskSize: '20G' } });
  assert.is(cmd?.args.at(-1), '20G');
});

host('steps without such commands give none', () => {
  for (const step of [1, 2, 5, 10]) assert.equal(guideHostCommands(step, darwin), []);
});

host.run();

const errors = suite('guide steps: steps that run no VM');

errors('step 9 is refused with a hint', () => {
  try {
    guideStep(9 as VmStep, darwin);
    assert.unreachable('step 9 should throw');
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, 'step 9 runs no VM');
    assert.match(error.hint ?? '', 'guideHostCommands');
  }
});

errors.run();
