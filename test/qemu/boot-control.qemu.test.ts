// The argv controlBoot makes from the chapter's task files is accepted by the real
// qemu-system-aarch64 (TCG, no KVM needed): the firmware starts, its serial output reaches the log file (and the
// terminal in
// terminal mode), QMP answers, and the VM quits when told to. Each QEMU is killed in finally.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Command } from '../../lib/command.js';
import { controlBoot, type BootControl } from '../../lib/qemu/boot-control.js';
import { bootOf, type TestHost } from '../helpers/chapter-tasks.js';
import { tempDir } from '../helpers/tmp.js';

const firmware = '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd'; // apt: qemu-efi-aarch64
const bootTimeoutMs = 180_000; // generous: TCG on 2 shared cores

// An x86 Linux host running the arm64 guide under TCG, as CI does.
const ci: TestHost = {
  hostOs: 'linux',
  arch: 'aarch64',
  accel: 'tcg',
  firmware: { mode: 'bios', code: firmware },
  settings: { net: 'none' },
}; // no PXE detour; and no network in tests
const controlled = async (step: number, c: BootControl) => controlBoot(await bootOf(step, ci), c).command;

interface Run {
  qemu: ChildProcess;
  stdout: () => string;
  exited: Promise<number | null>;
}

function start({ exe, args, sudo }: Command, cwd: string): Run {
  assert.not.ok(sudo);
  const qemu = spawn(exe, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  qemu.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  qemu.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => qemu.on('exit', (code) => resolve(code)));
  qemu.on('exit', (code) => {
    if (code !== 0 && err) process.stderr.write(`qemu stderr: ${err}\n`);
  });
  return { qemu, stdout: () => out, exited };
}

// Polls until check() is true, the process ends, or the time is up.
async function waitFor(what: string, check: () => boolean, run: Run): Promise<void> {
  const deadline = Date.now() + bootTimeoutMs;
  while (!check()) {
    if (run.qemu.exitCode !== null) throw new Error(`QEMU exited (${run.qemu.exitCode}) before ${what}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${bootTimeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const readLog = (path: string) => (existsSync(path) ? readFileSync(path, 'latin1') : '');

// The QMP handshake, then quit: proves the -qmp argv and stops the VM cleanly. The socket file
// appears on bind, a moment before QEMU listens, so a refused connection is tried again.
async function qmpQuit(socket: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await qmpQuitOnce(socket);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 20 || (code !== 'ECONNREFUSED' && code !== 'ENOENT')) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function qmpQuitOnce(socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    let buf = '';
    let sent = 0;
    s.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if ('QMP' in msg && sent === 0) s.write(JSON.stringify({ execute: 'qmp_capabilities' }) + '\n'), (sent = 1);
        else if ('return' in msg && sent === 1) s.write(JSON.stringify({ execute: 'quit' }) + '\n'), (sent = 2);
        else if ('return' in msg && sent === 2) s.end(), resolve();
        else if ('error' in msg) reject(new Error(JSON.stringify(msg)));
      }
    });
    s.on('error', reject);
  });
}

function stop(run: Run | undefined): void {
  if (run && run.qemu.exitCode === null && run.qemu.signalCode === null) run.qemu.kill('SIGKILL');
}

const test = suite('controlBoot with the real qemu-system-aarch64');

// A comma in the folder name checks that paths inside QEMU options are escaped.
function folder() {
  const dir = tempDir('kubenet-qemu,boot-');
  const control = (mode: BootControl['mode']): BootControl => ({
    cwd: dir.path,
    serialLog: join(dir.path, 'serial.log'),
    qmpSocket: join(dir.path, 'qmp.sock'),
    controlSocket: join(dir.path, 'control.sock'),
    mode,
  });
  return { dir, control };
}

test('terminal: step 10 shows UEFI on stdout, logs it, and keeps the Ctrl-A C monitor', async () => {
  const { dir, control } = folder();
  let run: Run | undefined;
  try {
    execFileSync('qemu-img', ['create', '-f', 'qcow2', 'ubuntu0.img', '1G'], { cwd: dir.path, stdio: 'ignore' });
    const c = control('terminal');
    run = start(await controlled(10, c), dir.path);
    const r = run;
    await waitFor('UEFI in the serial log', () => readLog(c.serialLog).includes('UEFI'), r);
    assert.ok(r.stdout().includes('UEFI'), 'the serial console is shown on stdout too');
    r.qemu.stdin!.write('\x01c'); // Ctrl-A C: to the monitor
    r.qemu.stdin!.write('info status\r');
    await waitFor('the monitor answering', () => r.stdout().includes('VM status: running'), r);
    await qmpQuit(c.qmpSocket);
    assert.is(await r.exited, 0);
  } finally {
    stop(run);
    dir.remove();
  }
});

test('headless: step 10 logs UEFI to the file and prints nothing', async () => {
  const { dir, control } = folder();
  let run: Run | undefined;
  try {
    execFileSync('qemu-img', ['create', '-f', 'qcow2', 'ubuntu0.img', '1G'], { cwd: dir.path, stdio: 'ignore' });
    const c = control('headless');
    run = start(await controlled(10, c), dir.path);
    const r = run;
    await waitFor('UEFI in the serial log', () => readLog(c.serialLog).includes('UEFI'), r);
    await qmpQuit(c.qmpSocket);
    assert.is(await r.exited, 0);
    assert.not.ok(r.stdout().includes('UEFI'));
  } finally {
    stop(run);
    dir.remove();
  }
});

// This machine has no window system, so the window itself is swapped for `-display none`
// (QEMU would otherwise fall back to a VNC server); the consoles are window mode's own.
test("window: step 4's logged vc serial console reaches the UEFI shell", async () => {
  const { dir, control } = folder();
  let run: Run | undefined;
  try {
    const c = control('window');
    const command = await controlled(4, c);
    run = start({ ...command, args: [...command.args, '-display', 'none'] }, dir.path);
    const r = run;
    await waitFor('Shell> in the serial log', () => readLog(c.serialLog).includes('Shell>'), r);
    await qmpQuit(c.qmpSocket);
    assert.is(await r.exited, 0);
  } finally {
    stop(run);
    dir.remove();
  }
});

// Step 7 on this Linux host is the macOS edition's, with gtk and pa for cocoa and coreaudio; the
// Linux edition's step 8 is the network step plus the disk.
for (const step of [7, 8]) {
  test(
    `headless: step ${step}${step === 7 ? ', with every peripheral,' : ', with the disk,'} ` +
      `is accepted (paused, then quit)`,
    async () => {
      const { dir, control } = folder();
      let run: Run | undefined;
      try {
        execFileSync('qemu-img', ['create', '-f', 'qcow2', 'ubuntu.img', '1G'], { cwd: dir.path, stdio: 'ignore' });
        writeFileSync(join(dir.path, 'jammy-desktop-arm64.iso'), ''); // an empty CD is still a CD
        const c = control('headless');
        const command = await controlled(step, c);
        assert.is(command.args.includes('virtio-gpu-pci'), step === 7);
        run = start({ ...command, args: [...command.args, '-S'] }, dir.path);
        await waitFor('the QMP socket', () => existsSync(c.qmpSocket), run);
        await qmpQuit(c.qmpSocket);
        assert.is(await run.exited, 0);
      } finally {
        stop(run);
        dir.remove();
      }
    },
  );
}

test.run();
