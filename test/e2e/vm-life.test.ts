// End to end, living with a VM as Lima's and Multipass's users do, with the real CLI and QEMU under
// TCG: the aarch64 firmware of `kubenet run uefi` waits in its shell (a VM that stays up), and a
// blank disk published as the cloud image gives ubuntu0 a forwarded ssh port while its firmware
// finds nothing to boot. The console of a detached VM at a terminal (a real pty): Enter reaches
// the firmware's shell, Ctrl-] leaves and the VM runs on; the ssh port is the same on every start
// and a taken one is an error naming who holds it; `delete` stops the VM and removes its files.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { derivedSshPort } from '../../lib/ssh/ssh-port.js';
import { binPath, kubenetAsync } from '../helpers/cli.js';
import { blankCloud, type BlankCloud } from '../helpers/blank-cloud.js';
import type { FaultServer } from '../helpers/fault-server.js';
import { alive, killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { ptySession } from '../helpers/pty-session.js';
import { testWhen } from '../helpers/skip.js';

const test = suite('e2e: console, stable ssh ports, delete');
let folder: BlankCloud | undefined;
let dir: { path: string };
let images: string;
let server: FaultServer;

test.before(async () => {
  folder = await blankCloud('kubenet-e2e-life-');
  ({ images, server } = folder);
  dir = { path: folder.dir };
});
test.after(async () => {
  await folder?.close();
});

const env = () => ({ HOME: join(dir.path, 'home') });
const kubenet = (args: string[], timeoutMs = 120_000) =>
  kubenetAsync([...args, '--images', images], { cwd: dir.path, timeoutMs, env: env() });
const run = (word: string, ...args: string[]) =>
  kubenet(['run', word, '--arch', 'aarch64', '--mirror', server.url, '--memory', '256M', ...args], 300_000);
const port = () => Number(readFileSync(join(images, 'vm/ubuntu0/ssh-port'), 'utf8'));

testWhen(
  test,
  which('script'),
  'needs util-linux `script` (apt-get install bsdutils)',
  'console at a terminal: Enter reaches the firmware shell, Ctrl-] leaves, the VM runs on; a second console is refused',
  async () => {
    try {
      const r = await run('uefi', '--detach', '--timeout', '120');
      assert.is(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, 'kubenet console machine attaches to it');
      const pid = Number(readFileSync(join(images, 'vm/machine/pid'), 'utf8'));
      const { CI: _ci, ...plain } = process.env;
      const pty = ptySession([process.execPath, binPath, 'console', 'machine', '--images', images], {
        env: { ...plain, ...env() },
        cwd: dir.path,
      });
      try {
        await pty.waitFor(
          new RegExp(
            /attached to machine's serial console: Ctrl-\] leaves it, /.source +
              /and the VM keeps running \(press Enter for a prompt\)/.source,
          ),
          30_000,
        );
        const second = await kubenet(['console', 'machine']);
        assert.is(second.code, 31, second.stderr);
        assert.match(
          second.stderr,
          /another kubenet console is attached to machine \(pid \d+\): QEMU serves one at a time/,
        );
        pty.type('\r');
        await pty.waitFor(/Shell>/, 60_000);
        pty.type('\x1d');
        assert.is(await pty.exited, 0, pty.output());
        assert.match(
          pty.output(),
          "left machine's console; it keeps running (kubenet console " +
            'machine comes back, kubenet stop machine powers it off)',
        );
      } finally {
        pty.close();
      }
      assert.ok(alive(pid), 'the VM runs on after the console is left');
      assert.match(
        readFileSync(join(images, 'vm/machine/serial.log'), 'utf8'),
        /Shell>/,
        'the serial log has what the console showed',
      );
      // from a pipe: no input, it leaves
      const again = await kubenetAsync(['console', 'machine', '--images', images], { cwd: dir.path, env: env() });
      assert.is(again.code, 0, again.stderr);
      assert.match(again.stderr, "left machine's console");
      assert.ok(alive(pid));
    } finally {
      killQemuIn(images);
    }
  },
);

testWhen(
  test,
  which('script'),
  'needs util-linux `script` (apt-get install bsdutils)',
  'a foreground boot at a terminal: Ctrl-] leaves its console and the VM ' +
    'runs on; kubenet console comes back; Ctrl-C there then powers it off',
  async () => {
    const { CI: _ci, DISPLAY: _d, WAYLAND_DISPLAY: _w, ...plain } = process.env; // a person at a text terminal
    const pty = ptySession(
      [process.execPath, binPath, 'run', 'uefi', '--arch', 'aarch64', '--memory', '256M', '--images', images],
      { env: { ...plain, ...env() }, cwd: dir.path },
    );
    try {
      await pty.waitFor(/Ctrl-\] leaves it and the VM runs on/, 120_000);
      pty.type('\r');
      await pty.waitFor(/Shell>/, 120_000);
      pty.type('\x1d');
      await pty.waitFor(
        new RegExp(
          /left machine's console; it runs on here: kubenet console machine comes back to it, /.source +
            /Ctrl-C here \(or kubenet stop machine\) powers it off/.source,
        ),
        30_000,
      );
      const pid = Number(readFileSync(join(images, 'vm/machine/pid'), 'utf8'));
      assert.ok(alive(pid), 'the VM runs on');
      const back = await kubenetAsync(['console', 'machine', '--images', images], { cwd: dir.path, env: env() });
      assert.is(back.code, 0, back.stderr);
      assert.match(back.stderr, "attached to machine's serial console");
      pty.type('\x03');
      await pty.exited;
      const { eventually } = await import('../helpers/vm-qemu.js');
      assert.ok(
        await eventually(() => !alive(pid), 150_000),
        'Ctrl-C, once the console was left, powered it off (the firmware ignores ACPI: quit after the 30 s grace)',
      );
    } finally {
      pty.close();
      killQemuIn(images);
    }
  },
);

test('console of a VM that does not run, or a name that is no VM: a clear refusal', async () => {
  const stopped = await kubenet(['console', 'machine']);
  assert.is(stopped.code, 30, stopped.stderr);
  assert.match(stopped.stderr, 'machine is not running');
  const typo = await kubenet(['console', 'machin']);
  assert.is(typo.code, 2, typo.stderr);
  assert.match(typo.stderr, 'did you mean machine?');
});

test(
  'the ssh port is derived from the folder and the VM, ' + 'and the same on the next start; --ssh-port pins another',
  async () => {
    try {
      assert.is((await run('03-cloud-image', '--detach', '--timeout', '120')).code, 0);
      const first = port();
      assert.is(first, derivedSshPort(images, 'ubuntu0'));
      assert.is((await kubenet(['stop', 'ubuntu0', '--grace', '0'])).code, 0);
      const again = await run('03-cloud-image', '--detach', '--offline', '--timeout', '120');
      assert.is(again.code, 0, again.stderr + again.stdout);
      assert.match(again.stdout, `127.0.0.1:${first} → the guest's port 22`);
      assert.is(port(), first, 'recorded, and kept');
      assert.is((await kubenet(['stop', 'ubuntu0', '--grace', '0'])).code, 0);
      const pinned = await run(
        '03-cloud-image',
        '--detach',
        '--offline',
        '--ssh-port',
        String(first + 1),
        '--timeout',
        '120',
      );
      assert.is(pinned.code, 0, pinned.stderr + pinned.stdout);
      assert.is(port(), first + 1);
      assert.is((await kubenet(['stop', 'ubuntu0', '--grace', '0'])).code, 0);
    } finally {
      killQemuIn(images);
    }
  },
);

test(
  'starting ubuntu0 while it runs is a no-op; with another ' +
    'command or seed it says what differs and how to apply it',
  async () => {
    try {
      assert.is((await run('03-cloud-image', '--detach', '--offline', '--timeout', '120')).code, 0);
      const pid = readFileSync(join(images, 'vm/ubuntu0/pid'), 'utf8');
      const memory = await run('03-cloud-image', '--detach', '--offline', '--memory', '320M');
      assert.is(memory.code, 0, memory.stderr + memory.stdout);
      assert.match(memory.stdout, 'warning: ubuntu0 runs already');
      assert.match(memory.stdout, 'its command changed: -m 256M (runs with), -m 320M (would start with)');
      assert.match(memory.stdout, 'to apply it: kubenet stop ubuntu0, then run this again');
      const userData = join(dir.path, 'user-data');
      writeFileSync(userData, '#cloud-config\npassword: another\n');
      const seed = await run('03-cloud-image', '--detach', '--offline', '--user-data', userData);
      assert.is(seed.code, 0, seed.stderr + seed.stdout);
      assert.match(
        seed.stdout,
        /its cloud-init seed changed \(instance \S+ → \S+\): the guest reads it at its next boot/,
      );
      assert.is(
        readFileSync(join(images, 'vm/ubuntu0/pid'), 'utf8'),
        pid,
        "the same QEMU: never restarted behind the user's back",
      );
      const foreground = await run('03-cloud-image', '--headless', '--offline', '--until', 'never', '--timeout', '30');
      assert.is(foreground.code, 30, 'a foreground --until would shut down a VM it did not start: refused');
      assert.match(foreground.stderr, 'ubuntu0 is already running');
      assert.is((await kubenet(['stop', 'ubuntu0', '--grace', '0'])).code, 0);
    } finally {
      killQemuIn(images);
    }
  },
);

test('a taken ssh port is an error naming who holds it, before anything starts', async () => {
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(port(), '127.0.0.1', resolve));
  try {
    const r = await run('03-cloud-image', '--detach', '--offline', '--timeout', '120');
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(
      r.stderr,
      `ubuntu0's ssh port ${port()} (recorded in ${join(images, 'vm/ubuntu0/ssh-port')}) ` +
        `is taken on 127.0.0.1 by node (pid ${process.pid})`,
    );
    assert.match(r.stderr, '--ssh-port N');
    assert.not.match(r.stdout, 'qemu-system-aarch64', 'no command block before the refusal');
    assert.equal(qemuProcessesIn(images), []);
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});

test(
  'delete: refused without --yes (nothing stopped); with it, the VM ' +
    'is stopped and its disk, seed and folder go, the download stays',
  async () => {
    try {
      assert.is((await run('03-cloud-image', '--detach', '--offline', '--timeout', '120')).code, 0);
      const pid = Number(readFileSync(join(images, 'vm/ubuntu0/pid'), 'utf8'));
      const refused = await kubenet(['delete', 'ubuntu0', '--arch', 'aarch64']);
      assert.is(refused.code, 2, refused.stderr);
      assert.match(refused.stdout, 'kubenet delete ubuntu0 stops ubuntu0, then deletes:');
      assert.match(refused.stderr, 'pass --yes to confirm');
      assert.ok(alive(pid), 'still running');
      const typo = await kubenet(['delete', 'ubuntuO', '--arch', 'aarch64']);
      assert.is(typo.code, 2);
      assert.match(typo.stderr, 'did you mean ubuntu0?');
      const r = await kubenet(['delete', 'ubuntu0', '--yes', '--arch', 'aarch64']);
      assert.is(r.code, 0, r.stderr + r.stdout);
      assert.not.ok(alive(pid));
      for (const gone of ['ubuntu0.img', 'cidata.iso', 'cloud-init/user-data', 'vm/ubuntu0'])
        assert.not.ok(existsSync(join(images, gone)), gone);
      assert.ok(existsSync(join(images, 'jammy-server-cloudimg-arm64.img')), 'the download stays');
      assert.ok(existsSync(join(images, 'vm/machine')), 'another VM stays');
      const status = await kubenet(['status']);
      assert.not.match(status.stdout, 'ubuntu0');
      const list = await kubenet(['list', '--arch', 'aarch64']);
      assert.not.match(list.stdout, /03-cloud-image\s+done/);
    } finally {
      killQemuIn(images);
    }
  },
);

test.run();
