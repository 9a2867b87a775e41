// Where kubenet departs from the guide's two hosts: TCG, KVM on arm64, pflash firmware, other
// networks. Checked through guideStep + buildCommand, as a task would use them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideStep, type StepInput, type VmStep } from '../../lib/guide/steps.js';
import { guideSteps, guideStepInfo } from '../../lib/guide/step-list.js';
import { buildCommand } from '../../lib/qemu/build-command.js';
import { isKubenetError } from '../../lib/errors.js';
import type { Accel, GuestArch, HostOs } from '../../lib/host/types.js';

function input(hostOs: HostOs, guestArch: GuestArch, accel: Accel, extra: Partial<StepInput> = {}): StepInput {
  return {
    profile: { hostOs, hostArch: guestArch, guestArch },
    facts: { firmware: { mode: 'bios', code: '/fw.fd', source: 'override', why: 'test' }, accel: { accel, why: 'test' } },
    ...extra,
  };
}

// The value that follows a flag, or undefined.
const valueOf = (args: string[], flag: string) => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};
const argv = (step: VmStep, i: StepInput) => buildCommand(guideStep(step, i)).args;

const accel = suite('profile choices: machine and cpu');

const machineCases: { name: string; input: StepInput; step: VmStep; machine: string; cpu: string }[] = [
  { name: 'aarch64 under TCG gets max with impdef pauth', input: input('linux', 'aarch64', 'tcg'), step: 5,
    machine: 'virt,accel=tcg,highmem=on', cpu: 'max,pauth-impdef=on' },
  { name: 'x86_64 under TCG gets plain max', input: input('linux', 'x86_64', 'tcg'), step: 5, machine: 'q35,accel=tcg', cpu: 'max' },
  { name: 'an arm64 Linux host with KVM keeps virt and host', input: input('linux', 'aarch64', 'kvm'), step: 10,
    machine: 'virt,accel=kvm,highmem=on', cpu: 'host' },
  { name: 'highmem waits for step 5', input: input('darwin', 'aarch64', 'hvf'), step: 4, machine: 'virt,accel=hvf', cpu: 'host' },
  { name: 'q35 never gets highmem', input: input('linux', 'x86_64', 'kvm'), step: 11, machine: 'q35,accel=kvm', cpu: 'host' },
];

for (const c of machineCases) {
  accel(c.name, () => {
    const args = argv(c.step, c.input);
    assert.is(valueOf(args, '-machine'), c.machine);
    assert.is(valueOf(args, '-cpu'), c.cpu);
  });
}

accel.run();

const firmware = suite('profile choices: firmware');

const pflash = (vars?: string): StepInput['facts']['firmware'] => ({
  mode: 'pflash', code: '/usr/share/AAVMF/AAVMF_CODE.fd', ...(vars ? { vars } : {}), source: 'descriptor', why: 'test',
});

firmware('pflash code and the VM\'s vars copy sit where the guide has -bios', () => {
  const i = input('linux', 'aarch64', 'tcg', { files: { firmwareVars: 'vm/live-cd/efivars.fd' } });
  i.facts.firmware = pflash('/usr/share/AAVMF/AAVMF_VARS.fd');
  const args = argv(5, i);
  assert.not.ok(args.includes('-bios'));
  const at = args.indexOf('-drive');
  assert.equal(args.slice(at - 2, at + 6), [
    '-serial', 'vc',
    '-drive', 'if=pflash,readonly=on,format=raw,file=/usr/share/AAVMF/AAVMF_CODE.fd',
    '-drive', 'if=pflash,format=raw,file=vm/live-cd/efivars.fd',
    '-cdrom', 'jammy-desktop-arm64.iso',
  ]);
});

firmware('pflash without a vars template is the guide\'s one-drive long form', () => {
  const i = input('linux', 'aarch64', 'tcg');
  i.facts.firmware = pflash();
  const args = argv(4, i);
  assert.equal(args.slice(-2), ['-drive', 'if=pflash,readonly=on,format=raw,file=/usr/share/AAVMF/AAVMF_CODE.fd']);
});

firmware('pflash with a vars template but no per-VM copy is refused', () => {
  const i = input('linux', 'aarch64', 'tcg');
  i.facts.firmware = pflash('/usr/share/AAVMF/AAVMF_VARS.fd');
  try {
    guideStep(10, i);
    assert.unreachable('should throw');
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, 'AAVMF_VARS.fd');
    assert.match(error.hint ?? '', 'firmwareVars');
  }
});

firmware.run();

const net = suite('profile choices: network and sudo');

net('user networking can forward a loopback port to ssh', () => {
  const cmd = buildCommand(guideStep(11, input('linux', 'aarch64', 'tcg', { sshPort: 2222 })));
  assert.is(valueOf(cmd.args, '-nic'), 'user,hostfwd=tcp:127.0.0.1:2222-:22');
  assert.is(cmd.sudo, false);
});

net('macOS with user networking needs no sudo', () => {
  const cmd = buildCommand(guideStep(8, input('darwin', 'aarch64', 'hvf', { net: 'user' })));
  assert.is(valueOf(cmd.args, '-nic'), 'user');
  assert.is(cmd.sudo, false);
});

net('vmnet-bridged names its interface and runs as root', () => {
  const cmd = buildCommand(guideStep(6, input('darwin', 'aarch64', 'hvf', { net: 'vmnet-bridged', bridgeInterface: 'en0' })));
  assert.is(valueOf(cmd.args, '-nic'), 'vmnet-bridged,ifname=en0');
  assert.is(cmd.sudo, true);
  assert.match(cmd.sudoReason ?? '', 'vmnet');
});

net('vmnet-bridged without an interface is a usage error', () => {
  assert.throws(() => guideStep(6, input('darwin', 'aarch64', 'hvf', { net: 'vmnet-bridged' })), /interface/);
});

net('no network is said explicitly, since step 10 keeps QEMU defaults', () => {
  assert.is(valueOf(argv(10, input('linux', 'x86_64', 'kvm', { net: 'none' })), '-nic'), 'none');
});

net('resources and file names can be overridden', () => {
  const args = argv(8, input('linux', 'aarch64', 'tcg', { resources: { smp: 4, memory: '4G' }, files: { liveIso: 'other.iso', disk: undefined } }));
  assert.is(valueOf(args, '-smp'), '4');
  assert.is(valueOf(args, '-m'), '4G');
  assert.is(valueOf(args, '-cdrom'), 'other.iso');
  assert.is(valueOf(args, '-hda'), 'ubuntu.img', 'an undefined override keeps the guide name');
});

net.run();

const meta = suite('guide step list');

meta('steps 1 to 11 appear once each, in order', () => {
  assert.equal(guideSteps.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

meta('tasks split the chapter as the lead decided', () => {
  const taskOf = (step: number) => guideStepInfo(step)?.task;
  assert.is(taskOf(1), '00-qemu');
  for (const step of [2, 3, 4, 5, 6, 7, 8]) assert.is(taskOf(step), '02-live-cd');
  for (const step of [9, 10, 11]) assert.is(taskOf(step), '03-cloud-image');
});

meta('every step that names a VM can be built', () => {
  const i = input('darwin', 'aarch64', 'hvf');
  for (const s of guideSteps.filter((s) => s.vm)) assert.ok(buildCommand(guideStep(s.step as VmStep, i)).args.length > 0);
});

meta.run();
