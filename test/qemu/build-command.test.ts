import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCommand } from '../../lib/qemu/build-command.js';
import { qemuOpts } from '../../lib/qemu/qemu-opts.js';
import type { VmSpec } from '../../lib/qemu/vm-spec.js';
import { isKubenetError } from '../../lib/errors.js';

const base: VmSpec = { exe: 'qemu-system-aarch64', machine: { type: 'virt', accel: 'tcg' } };

const test = suite('buildCommand');

test('the smallest spec is the machine alone', () => {
  assert.equal(buildCommand(base), { exe: 'qemu-system-aarch64', args: ['-machine', 'virt,accel=tcg'], sudo: false });
});

test('sudo carries its reason', () => {
  const cmd = buildCommand({ ...base, sudo: { reason: 'vmnet' } });
  assert.is(cmd.sudo, true);
  assert.is(cmd.sudoReason, 'vmnet');
});

test('a display in the peripherals and one from kubenet conflict, naming both', () => {
  const spec: VmSpec = { ...base, peripherals: [{ kind: 'display', backend: 'cocoa' }], display: { backend: 'none' } };
  try {
    buildCommand(spec);
    assert.unreachable('should throw');
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, '-display');
    assert.match(error.message, '"cocoa"');
    assert.match(error.message, '"none"');
  }
});

test('the same single-use option with the same value twice is kept once', () => {
  const spec: VmSpec = { ...base, peripherals: [{ kind: 'display', backend: 'none' }], display: { backend: 'none' } };
  assert.equal(buildCommand(spec).args, ['-machine', 'virt,accel=tcg', '-display', 'none']);
});

test('repeatable options are appended in order', () => {
  const spec: VmSpec = {
    ...base,
    nics: [{ type: 'user' }, { type: 'none' }],
    drives: [{ file: 'a.img', if: 'virtio' }, { file: 'b.img', if: 'virtio' }],
    peripherals: [{ kind: 'device', driver: 'usb-kbd' }, { kind: 'device', driver: 'usb-kbd' }],
  };
  assert.equal(buildCommand(spec).args.slice(2), [
    '-nic', 'user', '-nic', 'none',
    '-device', 'usb-kbd', '-device', 'usb-kbd',
    '-drive', 'file=a.img,if=virtio', '-drive', 'file=b.img,if=virtio',
  ]);
});

test('two chardevs with one id are refused', () => {
  const spec: VmSpec = { ...base, consoles: { chardevs: [{ backend: 'vc', id: 'x' }, { backend: 'null', id: 'x' }] } };
  assert.throws(() => buildCommand(spec), /id "x"/);
});

test('kubenet\'s controls follow the guide\'s options', () => {
  const spec: VmSpec = { ...base, hda: 'ubuntu0.img', qmp: 'unix:q.sock,server=on,wait=off', pidFile: 'vm.pid', noReboot: true, startPaused: true, monitor: 'none' };
  assert.equal(buildCommand(spec).args, [
    '-machine', 'virt,accel=tcg', '-hda', 'ubuntu0.img',
    '-monitor', 'none', '-qmp', 'unix:q.sock,server=on,wait=off', '-pidfile', 'vm.pid', '-no-reboot', '-S',
  ]);
});

test('the spec is not changed by building it', () => {
  const spec: VmSpec = { ...base, machine: { type: 'virt', accel: 'hvf', props: { highmem: 'on' } } };
  const before = structuredClone(spec);
  buildCommand(spec);
  assert.equal(spec, before);
});

test.run();

const opts = suite('qemuOpts');

const optCases: { name: string; head?: string; props: Record<string, string | number | boolean>; out: string }[] = [
  { name: 'a head alone', head: 'vc', props: {}, out: 'vc' },
  { name: 'props in insertion order', head: 'virt', props: { accel: 'hvf', highmem: 'on' }, out: 'virt,accel=hvf,highmem=on' },
  { name: 'booleans as on/off', head: 'stdio', props: { mux: true, signal: false }, out: 'stdio,mux=on,signal=off' },
  { name: 'numbers as decimals', head: 'x', props: { n: 2 }, out: 'x,n=2' },
  { name: 'commas in values doubled', head: 'file', props: { path: '/tmp/a,b/log' }, out: 'file,path=/tmp/a,,b/log' },
  { name: 'no head', props: { file: 'cidata.iso', driver: 'raw' }, out: 'file=cidata.iso,driver=raw' },
];

for (const c of optCases) opts(c.name, () => assert.is(qemuOpts(c.head, c.props), c.out));

opts.run();
