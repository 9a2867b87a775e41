// withBootControl as data: what each console mode does to a guide command.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withBootControl, type BootControl } from '../../lib/qemu/boot-control.js';
import { buildCommand } from '../../lib/qemu/build-command.js';
import { guideStep, type StepInput } from '../../lib/guide/steps.js';

const darwin: StepInput = {
  profile: { hostOs: 'darwin', hostArch: 'aarch64', guestArch: 'aarch64' },
  facts: { firmware: { mode: 'bios', code: '/fw.fd', source: 'homebrew', why: '' }, accel: { accel: 'hvf', why: '' } },
};
const linux: StepInput = {
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
  facts: { firmware: { mode: 'bios', code: '/ovmf.fd', source: 'distro', why: '' }, accel: { accel: 'kvm', why: '' } },
};

const control = (mode: BootControl['mode'], extra: Partial<BootControl> = {}): BootControl => ({
  serialLog: 'vm/serial.log', qmpSocket: 'vm/qmp.sock', mode, ...extra,
});
const qmp = ['-qmp', 'unix:vm/qmp.sock,server=on,wait=off'];
const fwArgs = ['-bios', '/fw.fd'];

const test = suite('withBootControl');

test('window: -serial vc becomes a logged vc chardev in the same place', () => {
  const args = buildCommand(withBootControl(guideStep(4, darwin), control('window'))).args;
  assert.equal(args, [
    '-nodefaults', '-machine', 'virt,accel=hvf', '-cpu', 'host',
    '-chardev', 'vc,id=monitor', '-chardev', 'vc,id=serial0,logfile=vm/serial.log',
    '-mon', 'monitor', '-serial', 'chardev:serial0', ...fwArgs, ...qmp,
  ]);
});

test('window: a step on QEMU defaults keeps its monitor, which -qmp would turn off', () => {
  const args = buildCommand(withBootControl(guideStep(2, darwin), control('window'))).args;
  assert.equal(args, [
    '-machine', 'virt,accel=hvf', '-cpu', 'host',
    '-chardev', 'vc,id=monitor', '-chardev', 'vc,id=serial0,logfile=vm/serial.log',
    '-mon', 'monitor', '-serial', 'chardev:serial0', ...qmp,
  ]);
});

test('window: the amd64 VGA console stays and a logged serial port joins it', () => {
  const args = buildCommand(withBootControl(guideStep(5, linux), control('window'))).args;
  assert.equal(args.slice(9, 19), [
    '-chardev', 'vc,id=monitor', '-chardev', 'vc,id=serial0,logfile=vm/serial.log',
    '-mon', 'monitor', '-serial', 'chardev:serial0', '-vga', 'std',
  ]);
});

test('terminal: -nographic keeps stdio, now one logged mux with the monitor on Ctrl-A C', () => {
  const args = buildCommand(withBootControl(guideStep(10, darwin), control('terminal'))).args;
  assert.equal(args, [
    '-nographic', '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'stdio,id=serial0,mux=on,signal=off,logfile=vm/serial.log', '-mon', 'serial0', '-serial', 'chardev:serial0',
    ...fwArgs, '-nic', 'vmnet-shared', '-hda', 'ubuntu0.img', ...qmp,
  ]);
});

test('window on a -nographic step is the terminal form', () => {
  const spec = guideStep(11, darwin);
  assert.equal(buildCommand(withBootControl(spec, control('window'))).args, buildCommand(withBootControl(spec, control('terminal'))).args);
});

test('terminal: a windowed step loses its window and vc consoles', () => {
  const args = buildCommand(withBootControl(guideStep(7, darwin), control('terminal'))).args;
  assert.not.ok(args.includes('cocoa,show-cursor=on'));
  assert.not.ok(args.some((a) => a.startsWith('vc')));
  assert.equal(args.slice(-4), ['-display', 'none', ...qmp]);
  assert.ok(args.includes('none,id=audio0'), 'no window, no sound server: audio into none');
});

test('terminal: ctrlC quit lets the terminal signal QEMU', () => {
  const args = buildCommand(withBootControl(guideStep(10, darwin), control('terminal', { ctrlC: 'quit' }))).args;
  assert.ok(args.includes('stdio,id=serial0,mux=on,signal=on,logfile=vm/serial.log'));
});

test('headless: no -nographic, no display, no monitor, the serial console into the log file', () => {
  const args = buildCommand(withBootControl(guideStep(10, darwin), control('headless'))).args;
  assert.equal(args, [
    '-machine', 'virt,accel=hvf,highmem=on', '-cpu', 'host', '-smp', '2', '-m', '2G',
    '-chardev', 'file,id=serial0,path=vm/serial.log', '-serial', 'chardev:serial0',
    ...fwArgs, '-nic', 'vmnet-shared', '-hda', 'ubuntu0.img', '-display', 'none', '-monitor', 'none', ...qmp,
  ]);
});

test('headless: audio goes to the none backend under the same id', () => {
  const args = buildCommand(withBootControl(guideStep(7, linux), control('headless'))).args;
  assert.ok(args.includes('none,id=audio0'));
  assert.ok(args.includes('hda-output,audiodev=audio0'));
  assert.not.ok(args.includes('pa,id=audio0'));
});

test('-no-reboot and -pidfile only when asked', () => {
  const plain = buildCommand(withBootControl(guideStep(10, linux), control('headless'))).args;
  assert.not.ok(plain.includes('-no-reboot'));
  assert.not.ok(plain.includes('-pidfile'));
  const asked = buildCommand(withBootControl(guideStep(10, linux), control('headless', { noReboot: true, pidFile: 'vm/pid' }))).args;
  assert.equal(asked.slice(-5), ['-qmp', 'unix:vm/qmp.sock,server=on,wait=off', '-pidfile', 'vm/pid', '-no-reboot']);
});

test('a comma in the socket path is escaped for QEMU', () => {
  const spec = withBootControl(guideStep(10, linux), control('headless', { qmpSocket: '/tmp/a,b/qmp.sock' }));
  assert.is(spec.qmp, 'unix:/tmp/a,,b/qmp.sock,server=on,wait=off');
});

test('the guide spec is left as it was', () => {
  const spec = guideStep(7, darwin);
  const before = structuredClone(spec);
  for (const mode of ['window', 'terminal', 'headless'] as const) withBootControl(spec, control(mode));
  assert.equal(spec, before);
});

test.run();
