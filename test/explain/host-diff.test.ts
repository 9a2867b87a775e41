// Where this host's command differs from the guide's, and the reason given for each difference.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from '../../lib/command.js';
import { hostDifferences } from '../../lib/explain/host-diff.js';
import { guideSide, type Side } from '../../lib/explain/sides.js';
import { bootOf } from '../helpers/chapter-tasks.js';

const test = suite('explain: host differences');

const bootFor = (step: number, side: Side): Promise<Command> =>
  bootOf(step, {
    hostOs: side.hostOs,
    arch: side.arch,
    accel: side.facts.accel.accel,
    firmware: side.facts.firmware,
    ...(side.net ? { settings: { net: side.net } } : {}),
  });
const diff = async (step: number, host: Side) => {
  const guide = guideSide(host.arch);
  return hostDifferences(
    { command: await bootFor(step, guide), input: guide },
    { command: await bootFor(step, host), input: host },
  );
};

test("the guide's own host differs in nothing", async () => {
  assert.equal(await diff(11, guideSide('aarch64')), []);
  assert.equal(await diff(8, guideSide('x86_64')), []);
});

test('a Linux x86 host running arm64 guests: tcg, -cpu max, user network, no sudo, gtk and pa', async () => {
  const host: Side = {
    hostOs: 'linux',
    hostArch: 'x86_64',
    arch: 'aarch64',
    facts: {
      firmware: {
        mode: 'pflash',
        code: '/usr/share/AAVMF/AAVMF_CODE.fd',
        vars: '/usr/share/AAVMF/AAVMF_VARS.fd',
        source: 'descriptor',
        why: 'descriptor 60-edk2-aarch64.json',
      },
      accel: { accel: 'tcg', why: 'KVM runs only x86_64 guests' },
    },
  };
  const d = await diff(7, host);
  const by = Object.fromEntries(d.map((x) => [x.slot, x]));
  assert.equal(Object.keys(by).sort(), ['-audiodev', '-cpu', '-display', '-machine', '-nic', 'firmware', 'sudo']);
  assert.equal(by['-machine']!.guide, ['-machine virt,accel=hvf,highmem=on']);
  assert.equal(by['-machine']!.host, ['-machine virt,accel=tcg,highmem=on']);
  assert.match(by['-machine']!.why, 'KVM runs only x86_64 guests');
  assert.equal(by['-cpu']!.host, ['-cpu max,pauth-impdef=on']);
  assert.match(by['-cpu']!.why, 'TCG');
  assert.equal(by.firmware!.guide, ['-bios /opt/homebrew/share/qemu/edk2-aarch64-code.fd']);
  assert.equal(by.firmware!.host.length, 2, 'code and variables');
  assert.match(by.firmware!.why, 'descriptor 60-edk2-aarch64.json');
  assert.match(by.firmware!.why, 'pflash');
  assert.equal(by['-nic']!.host, ['-nic user']);
  assert.match(by['-nic']!.why, 'macOS');
  assert.equal(by.sudo!.guide, ['sudo']);
  assert.equal(by.sudo!.host, []);
  assert.match(by['-display']!.why, 'gtk');
});

test(
  "a Linux host's disk step has none of the macOS edition's " +
    "peripherals, and says that is the Linux edition's text",
  async () => {
    const host: Side = {
      hostOs: 'linux',
      hostArch: 'aarch64',
      arch: 'aarch64',
      facts: { ...guideSide('aarch64').facts, accel: { accel: 'kvm', why: 'kvm' } },
    };
    const by = Object.fromEntries((await diff(8, host)).map((x) => [x.slot, x]));
    for (const slot of ['-device', '-display', '-audiodev']) {
      assert.equal(by[slot]!.host, [], slot);
      assert.is(by[slot]!.why, 'the Linux edition, which this host follows, writes this step without it', slot);
    }
    assert.equal(
      (await diff(7, host)).find((x) => x.slot === '-device'),
      undefined,
      "step 7 is the macOS edition's on every host: the same devices",
    );
  },
);

test('an accelerated host with another firmware path differs only in the firmware', async () => {
  const host: Side = {
    ...guideSide('x86_64'),
    facts: {
      firmware: {
        mode: 'bios',
        code: '/usr/share/ovmf/OVMF.fd',
        source: 'distro',
        why: 'distro firmware /usr/share/ovmf/OVMF.fd',
      },
      accel: { accel: 'kvm', why: 'kvm' },
    },
  };
  const d = await diff(10, host);
  assert.equal(
    d.map((x) => x.slot),
    ['firmware'],
  );
  assert.equal(d[0]!.host, ['-bios /usr/share/ovmf/OVMF.fd']);
  assert.match(d[0]!.why, 'resolves');
});

test('--net shows as the reason for a different network', async () => {
  const host: Side = { ...guideSide('x86_64'), net: 'none' };
  const d = await diff(6, host);
  assert.equal(
    d.map((x) => [x.slot, x.why]),
    [['-nic', '--net none']],
  );
});

test.run();
