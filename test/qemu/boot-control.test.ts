// controlBoot as data: what each console mode does to a step's command, and that every change
// is listed with its reason.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from '../../lib/command.js';
import { controlBoot, hasUserNic, type BootControl } from '../../lib/qemu/boot-control.js';
import { bootOf, type TestHost } from '../helpers/chapter-tasks.js';

const darwin: TestHost = {
  hostOs: 'darwin',
  arch: 'aarch64',
  accel: 'hvf',
  firmware: { mode: 'bios', code: '/fw.fd' },
};
const linux: TestHost = { hostOs: 'linux', arch: 'x86_64', accel: 'kvm', firmware: { mode: 'bios', code: '/ovmf.fd' } };

const control = (mode: BootControl['mode'], extra: Partial<BootControl> = {}): BootControl => ({
  cwd: '/images',
  serialLog: 'vm/serial.log',
  qmpSocket: 'vm/qmp.sock',
  controlSocket: 'vm/control.sock',
  mode,
  ...extra,
});
const qmp = ['-qmp', 'unix:vm/qmp.sock,server=on,wait=off', '-qmp', 'unix:vm/control.sock,server=on,wait=off'];
const fw = ['-bios', '/fw.fd'];
const run = async (step: number, host: TestHost, c: BootControl) => controlBoot(await bootOf(step, host), c);

const test = suite('controlBoot');

test('window: -serial vc becomes a logged vc chardev in the same place', async () => {
  const { command } = await run(4, darwin, control('window'));
  assert.equal(command.args, [
    '-nodefaults',
    '-machine',
    'virt,accel=hvf',
    '-cpu',
    'host',
    '-chardev',
    'vc,id=monitor',
    '-mon',
    'monitor',
    '-chardev',
    'vc,id=serial0,logfile=vm/serial.log',
    '-serial',
    'chardev:serial0',
    ...fw,
    ...qmp,
  ]);
});

test('window: a step on QEMU defaults keeps its monitor, which -qmp would turn off', async () => {
  const { command, changes } = await run(2, darwin, control('window'));
  assert.equal(command.args, [
    '-machine',
    'virt,accel=hvf',
    '-cpu',
    'host',
    '-chardev',
    'vc,id=monitor',
    '-mon',
    'monitor',
    '-chardev',
    'vc,id=serial0,logfile=vm/serial.log',
    '-serial',
    'chardev:serial0',
    ...qmp,
  ]);
  assert.match(changes[0]!.why, "QEMU's default monitor");
});

test('window: the amd64 VGA console stays and a logged serial port joins it', async () => {
  const { command } = await run(5, linux, control('window'));
  const at = command.args.indexOf('-vga');
  assert.equal(command.args.slice(at, at + 6), [
    '-vga',
    'std',
    '-chardev',
    'vc,id=serial0,logfile=vm/serial.log',
    '-serial',
    'chardev:serial0',
  ]);
});

test('terminal: -nographic keeps stdio, now one logged mux with the monitor on Ctrl-A C', async () => {
  const { command, changes } = await run(10, darwin, control('terminal'));
  assert.equal(command.args, [
    '-nographic',
    '-machine',
    'virt,accel=hvf,highmem=on',
    '-cpu',
    'host',
    '-smp',
    '2',
    '-m',
    '2G',
    ...fw,
    '-nic',
    'vmnet-shared',
    '-hda',
    'ubuntu0.img',
    '-chardev',
    'stdio,id=serial0,mux=on,signal=off,logfile=vm/serial.log',
    '-mon',
    'serial0',
    '-serial',
    'chardev:serial0',
    ...qmp,
  ]);
  assert.is(command.sudo, true, 'the guide runs it with sudo (vmnet)');
  assert.match(changes.map((c) => c.why).join('\n'), 'Ctrl-A C');
});

test('window on a -nographic step is the terminal form', async () => {
  const guide = await bootOf(11, darwin);
  assert.equal(controlBoot(guide, control('window')).command, controlBoot(guide, control('terminal')).command);
});

test('terminal: a windowed step loses its window and vc consoles, and its sound plays into none', async () => {
  const { command } = await run(7, darwin, control('terminal'));
  assert.not.ok(command.args.includes('cocoa,show-cursor=on'));
  assert.not.ok(command.args.some((a) => a.startsWith('vc')));
  assert.ok(command.args.includes('none,id=audio0'));
  assert.equal(command.args.filter((a) => a === '-display').length, 1);
  assert.equal(command.args.slice(-qmp.length), qmp);
});

test('terminal: ctrlC quit lets the terminal signal QEMU', async () => {
  const { command } = await run(10, darwin, control('terminal', { ctrlC: 'quit' }));
  assert.ok(command.args.includes('stdio,id=serial0,mux=on,signal=on,logfile=vm/serial.log'));
});

test('headless: no -nographic, no display, no monitor, the serial console into the log file', async () => {
  const { command } = await run(10, darwin, control('headless'));
  assert.equal(command.args, [
    '-machine',
    'virt,accel=hvf,highmem=on',
    '-cpu',
    'host',
    '-smp',
    '2',
    '-m',
    '2G',
    ...fw,
    '-nic',
    'vmnet-shared',
    '-hda',
    'ubuntu0.img',
    '-chardev',
    'file,id=serial0,path=vm/serial.log',
    '-serial',
    'chardev:serial0',
    '-display',
    'none',
    '-monitor',
    'none',
    ...qmp,
  ]);
});

test('user networking: a forwarded port for ssh, said as a change', async () => {
  const { command, changes } = await run(11, linux, control('headless', { sshPort: 2222 }));
  assert.ok(command.args.includes('user,hostfwd=tcp:127.0.0.1:2222-:22'));
  assert.ok(changes.some((c) => c.removed.some((o) => o.join(' ') === '-nic user') && /kubenet ssh/.test(c.why)));
});

test(
  'root-free cluster VM: the user-mode -netdev (its second ' + 'NIC) carries the forward, the cluster socket does not',
  () => {
    const guide: Command = {
      exe: 'qemu-system-aarch64',
      args: [
        '-netdev',
        'stream,id=net0,server=off,addr.type=unix,addr.path=network/usernet.sock',
        '-device',
        'virtio-net-pci,netdev=net0,mac=52:52:52:00:00:00',
        '-netdev',
        'user,id=host0',
        '-device',
        'virtio-net-pci,netdev=host0,mac=52:52:52:01:00:00',
      ],
    };
    assert.ok(hasUserNic(guide));
    const { command, sshPort } = controlBoot(guide, control('headless', { sshPort: 12345 }));
    assert.is(sshPort, 12345);
    assert.ok(command.args.includes('user,id=host0,hostfwd=tcp:127.0.0.1:12345-:22'));
    assert.ok(command.args.includes('stream,id=net0,server=off,addr.type=unix,addr.path=network/usernet.sock'));
    assert.not.ok(hasUserNic({ exe: 'q', args: ['-nic', 'tap,script=tapup.sh,downscript=no,mac=52:52:52:00:00:00'] }));
  },
);

test('a comma in a path is doubled for QEMU', async () => {
  const { command } = await run(
    10,
    linux,
    control('headless', { qmpSocket: '/tmp/a,b/qmp.sock', serialLog: '/x,y/serial.log' }),
  );
  assert.ok(command.args.includes('unix:/tmp/a,,b/qmp.sock,server=on,wait=off'));
  assert.ok(command.args.includes('file,id=serial0,path=/x,,y/serial.log'));
});

// What runs is exactly the guide's command with the listed changes applied: replay them.
for (const mode of ['window', 'terminal', 'headless'] as const) {
  test(`${mode}: the guide's command with the listed changes is exactly what runs`, async () => {
    for (const step of [2, 3, 4, 5, 6, 7, 8, 10, 11]) {
      for (const host of [darwin, linux]) {
        const guide: Command = await bootOf(step, host);
        const { command, changes } = controlBoot(guide, control(mode, { sshPort: 2222 }));
        const removed = changes.flatMap((c) => c.removed.map((o) => o.join('\0')));
        const added = changes.flatMap((c) => c.added.map((o) => o.join('\0')));
        const groups = (args: string[]) => {
          const out: string[] = [];
          for (const [i, a] of args.entries()) {
            if (a.startsWith('-') || i === 0) out.push(a);
            else out[out.length - 1] = `${out.at(-1)}\0${a}`;
          }
          return out;
        };
        const kept = groups(guide.args).filter((o) => !removed.includes(o));
        assert.equal(
          groups(command.args)
            .filter((o) => !added.includes(o))
            .sort(),
          kept.sort(),
          `step ${step} ${host.hostOs}`,
        );
        for (const why of changes.map((c) => c.why)) assert.ok(why.length > 20, `a reason: ${why}`);
      }
    }
  });
}

test('the log and sockets it wrote into the argv come back as absolute paths, for the run', async () => {
  const c = await run(10, linux, control('headless'));
  assert.equal(
    [c.serialLog, c.qmpSocket, c.controlSocket],
    ['/images/vm/serial.log', '/images/vm/qmp.sock', '/images/vm/control.sock'],
  );
});

test('the ssh port comes back only when a -nic user was there to forward it', async () => {
  assert.is((await run(10, linux, control('headless', { sshPort: 2222 }))).sshPort, 2222);
  assert.is(
    (await run(4, linux, control('headless', { sshPort: 2222 }))).sshPort,
    undefined,
    'step 4 has no network card',
  );
});

test('the guide command is left as it was', async () => {
  const guide = await bootOf(7, darwin);
  const before = structuredClone(guide);
  for (const mode of ['window', 'terminal', 'headless'] as const) controlBoot(guide, control(mode));
  assert.equal(guide, before);
});

test.run();
