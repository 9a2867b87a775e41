// Where hosts differ from the guide, through the chapter's own task files: the machine and CPU
// under each accelerator, the firmware's forms, the network and sudo, the user's resources.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isKubenetError } from '../../lib/errors.js';
import { guideHostVars, hostVars } from '../../lib/task/host-vars.js';
import { bootOf, planGuideStep, valueOf, type TestHost } from '../helpers/chapter-tasks.js';

const host = (
  hostOs: TestHost['hostOs'],
  arch: TestHost['arch'],
  accel: TestHost['accel'],
  more: Partial<TestHost> = {},
): TestHost => ({ hostOs, arch, accel, ...more });

const machine = suite('host values: machine and cpu');
const machineCases: { name: string; host: TestHost; step: number; machine: string; cpu: string }[] = [
  {
    name: 'aarch64 under TCG gets max with impdef pauth',
    host: host('linux', 'aarch64', 'tcg'),
    step: 5,
    machine: 'virt,accel=tcg,highmem=on',
    cpu: 'max,pauth-impdef=on',
  },
  {
    name: 'x86_64 under TCG gets plain max',
    host: host('linux', 'x86_64', 'tcg'),
    step: 5,
    machine: 'q35,accel=tcg',
    cpu: 'max',
  },
  {
    name: 'an arm64 Linux host with KVM keeps virt and host',
    host: host('linux', 'aarch64', 'kvm'),
    step: 10,
    machine: 'virt,accel=kvm,highmem=on',
    cpu: 'host',
  },
  {
    name: 'highmem waits for step 5',
    host: host('darwin', 'aarch64', 'hvf'),
    step: 4,
    machine: 'virt,accel=hvf',
    cpu: 'host',
  },
  {
    name: 'q35 never gets highmem',
    host: host('linux', 'x86_64', 'kvm'),
    step: 11,
    machine: 'q35,accel=kvm',
    cpu: 'host',
  },
];
for (const c of machineCases) {
  machine(c.name, async () => {
    const { args } = await bootOf(c.step, c.host);
    assert.is(valueOf(args, '-machine'), c.machine);
    assert.is(valueOf(args, '-cpu'), c.cpu);
  });
}
machine.run();

const firmware = suite('host values: firmware');
const pflash = (vars?: string) => ({
  mode: 'pflash' as const,
  code: '/usr/share/AAVMF/AAVMF_CODE.fd',
  ...(vars ? { vars } : {}),
});

firmware("pflash code and the VM's own variables sit where the guide has -bios", async () => {
  const { args } = await bootOf(
    5,
    host('linux', 'aarch64', 'tcg', { firmware: pflash('/usr/share/AAVMF/AAVMF_VARS.fd') }),
  );
  assert.not.ok(args.includes('-bios'));
  const at = args.indexOf('-drive');
  assert.equal(args.slice(at - 2, at + 6), [
    '-serial',
    'vc',
    '-drive',
    'if=pflash,readonly=on,format=raw,file=/usr/share/AAVMF/AAVMF_CODE.fd',
    '-drive',
    'if=pflash,format=raw,file=vm/live-cd/efivars.fd',
    '-cdrom',
    'jammy-desktop-arm64.iso',
  ]);
});

firmware("pflash without a variables template is the guide's one-drive long form", async () => {
  const { args } = await bootOf(4, host('linux', 'aarch64', 'tcg', { firmware: pflash() }));
  assert.equal(args.slice(-2), ['-drive', 'if=pflash,readonly=on,format=raw,file=/usr/share/AAVMF/AAVMF_CODE.fd']);
});

firmware('split firmware needs a VM to keep its variables: a step without one cannot use it', () => {
  const vars = hostVars({
    hostOs: 'linux',
    arch: 'aarch64',
    accel: 'tcg',
    firmware: pflash('/usr/share/AAVMF/AAVMF_VARS.fd'),
  });
  assert.is(vars.qemu, 'qemu-system-aarch64', 'the other values are there');
  try {
    void vars.firmware;
    assert.unreachable('should throw');
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, 'AAVMF_VARS.fd');
  }
});

firmware('a comma in a firmware path is doubled for QEMU', () => {
  const vars = hostVars({
    hostOs: 'linux',
    arch: 'aarch64',
    accel: 'tcg',
    firmware: { mode: 'pflash', code: '/a,b/code.fd' },
  });
  assert.equal(vars.firmware, ['-drive', 'if=pflash,readonly=on,format=raw,file=/a,,b/code.fd']);
});

firmware.run();

const net = suite('host values: network, sudo, resources');

net('macOS with user networking needs no sudo', async () => {
  const cmd = await bootOf(8, host('darwin', 'aarch64', 'hvf', { settings: { net: 'user' } }));
  assert.is(valueOf(cmd.args, '-nic'), 'user');
  assert.not.ok(cmd.sudo);
});

net("vmnet runs the guide's way: with sudo", async () => {
  const cmd = await bootOf(6, host('darwin', 'aarch64', 'hvf'));
  assert.is(valueOf(cmd.args, '-nic'), 'vmnet-shared');
  assert.is(cmd.sudo, true);
});

net('vmnet-bridged without an interface is a usage error', async () => {
  try {
    await bootOf(6, host('darwin', 'aarch64', 'hvf', { settings: { net: 'vmnet-bridged' } }));
    assert.unreachable('should throw');
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, 'interface');
  }
});

net('no network is said explicitly, since step 10 keeps QEMU defaults', async () => {
  assert.is(
    valueOf((await bootOf(10, host('linux', 'x86_64', 'kvm', { settings: { net: 'none' } }))).args, '-nic'),
    'none',
  );
});

net("--smp, --memory and --disk-size change the guide's 2, 2G and 128G", async () => {
  const plan = await planGuideStep(
    8,
    host('linux', 'aarch64', 'tcg', { settings: { smp: 4, memory: '4G', diskSize: '20G' } }),
  );
  assert.is(valueOf(plan.boot!.args, '-smp'), '4');
  assert.is(valueOf(plan.boot!.args, '-m'), '4G');
  assert.equal(
    plan.commands.map((c) => c.args.at(-1)),
    ['20G'],
  );
});

net("the guide's own hosts: hvf on macOS, kvm on Linux, and the firmware paths the guide writes", () => {
  const mac = guideHostVars('aarch64');
  const linux = guideHostVars('x86_64');
  assert.equal(
    [mac.accel, mac.board, mac.nic, mac.sudo, mac.display, mac.audio],
    ['hvf', 'virt', 'vmnet-shared', ['sudo'], 'cocoa', 'coreaudio'],
  );
  assert.equal(
    [linux.accel, linux.board, linux.nic, linux.sudo, linux.display, linux.audio],
    ['kvm', 'q35', 'user', [], 'gtk', 'pa'],
  );
  assert.equal(linux.firmware, ['-bios', '/usr/share/qemu/OVMF.fd']);
});

net('before 00-qemu has run, a command that needs its facts says so', () => {
  const vars = hostVars({ hostOs: 'linux', arch: 'x86_64' });
  assert.is(vars.qemu, 'qemu-system-x86_64');
  assert.throws(() => vars.accel, /00-qemu/);
});

net.run();
