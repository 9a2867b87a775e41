// Where this host's command differs from the guide's, and the reason given for each difference.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideInput } from '../../lib/explain/guide-input.js';
import { hostDifferences } from '../../lib/explain/host-diff.js';
import type { StepInput } from '../../lib/guide/step-input.js';
import { guideStep, type VmStep } from '../../lib/guide/steps.js';
import { buildCommand } from '../../lib/qemu/build-command.js';

const test = suite('explain: host differences');

const diff = (step: VmStep, host: StepInput) => {
  const guide = guideInput(host.profile.guestArch);
  return hostDifferences(
    { command: buildCommand(guideStep(step, guide)), input: guide },
    { command: buildCommand(guideStep(step, host)), input: host },
  );
};

test('the guide\'s own host differs in nothing', () => {
  assert.equal(diff(11, guideInput('aarch64')), []);
  assert.equal(diff(8, guideInput('x86_64')), []);
});

test('a Linux x86 host running arm64 guests: tcg, -cpu max, user network, no sudo, gtk and pa', () => {
  const host: StepInput = {
    profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'aarch64' },
    facts: {
      firmware: { mode: 'pflash', code: '/usr/share/AAVMF/AAVMF_CODE.fd', vars: '/usr/share/AAVMF/AAVMF_VARS.fd', source: 'descriptor', why: 'descriptor 60-edk2-aarch64.json' },
      accel: { accel: 'tcg', why: 'KVM runs only x86_64 guests' },
    },
    files: { firmwareVars: 'vm/live-cd/efivars.fd' },
  };
  const d = diff(7, host);
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

test('an accelerated host with another firmware path differs only in the firmware', () => {
  const host: StepInput = {
    ...guideInput('x86_64'),
    facts: { firmware: { mode: 'bios', code: '/usr/share/ovmf/OVMF.fd', source: 'distro', why: 'distro firmware /usr/share/ovmf/OVMF.fd' }, accel: { accel: 'kvm', why: 'kvm' } },
  };
  const d = diff(10, host);
  assert.equal(d.map((x) => x.slot), ['firmware']);
  assert.equal(d[0]!.host, ['-bios /usr/share/ovmf/OVMF.fd']);
  assert.match(d[0]!.why, 'resolves');
});

test('--net shows as the reason for a different network', () => {
  const host: StepInput = { ...guideInput('x86_64'), net: 'none' };
  const d = diff(6, host);
  assert.equal(d.map((x) => [x.slot, x.why]), [['-nic', '--net none']]);
});

test.run();
