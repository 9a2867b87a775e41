import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { runVm, type RunVmOptions } from '../../lib/vm/run-vm.js';
import { ownerRecord } from '../../lib/lock/lock-owner.js';
import { processAlive } from '../../lib/process/pid-state.js';
import {
  banner,
  eventually,
  firmwareRun,
  killLeftover,
  shellPrompt,
  tempImages,
  type TempImages,
} from '../helpers/vm-qemu.js';
import { fakeQemuEnv, fakeQemuScript } from '../helpers/fake-qmp.js';
import { kvmPvmHost, kvmTruth, needsKvmPvm } from '../helpers/kvm-host.js';
import { qemuProcessesIn } from '../helpers/processes.js';
import { testOnHost } from '../helpers/skip.js';
import { testGuest } from '../helpers/test-guest.js';

const test = suite('runVm');
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );
let images: TempImages;

test.before.each(async () => {
  images = await tempImages();
});
test.after.each(async () => {
  await killLeftover(images.paths, 'machine');
  await images.cleanup();
});

// The QEMU pid, read from the pid file when the first serial line arrives.
function withPidProbe(options: RunVmOptions): {
  options: RunVmOptions;
  pid: () => number | undefined;
  lines: string[];
} {
  let pid: number | undefined;
  const lines: string[] = [];
  return {
    options: {
      ...options,
      onLine: (line) => {
        lines.push(line);
        pid ??= Number(readFileSync(options.paths.vmFile(options.vm, 'pid'), 'utf8'));
      },
    },
    pid: () => pid,
    lines,
  };
}

async function rejection(promise: Promise<unknown>): Promise<KubenetError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, KubenetError);
    return error as KubenetError;
  }
  throw new Error('expected runVm to fail');
}

async function assertCleanedUp(pid: number | undefined) {
  assert.ok(pid !== undefined, 'QEMU was seen running');
  assert.not.ok(processAlive(pid!), 'QEMU is gone');
  assert.not.ok(await exists(images.paths.vmFile('machine', 'pid')), 'pid file removed');
  assert.not.ok(await exists(images.paths.vmFile('machine', 'qmp.sock')), 'QMP socket removed');
  assert.not.ok(await exists(images.paths.lock('vm-machine')), 'lock removed');
}

test('it boots the firmware to the UEFI shell, stops QEMU and cleans up', async () => {
  const notices: string[] = [];
  const run = withPidProbe({
    ...firmwareRun(images, 'machine'),
    until: shellPrompt,
    timeoutMs: 90_000,
    notice: (n) => notices.push(n),
  });
  const result = await runVm(run.options);
  assert.ok(result.matched && shellPrompt.test(result.matched), `matched ${result.matched}`);
  assert.is(result.exitCode, 0, 'QEMU quit cleanly');
  assert.ok(['powered-off', 'quit'].includes(result.stopped), result.stopped);
  assert.ok(
    result.serialTail.some((line) => banner.test(line)),
    'the tail holds the firmware banner',
  );
  assert.ok(
    run.lines.some((line) => banner.test(line)),
    'onLine saw the banner',
  );
  assert.ok(
    notices.some((n) => n.includes('waiting for the serial console to match')),
    notices.join('\n'),
  );
  assert.ok(await exists(images.paths.vmFile('machine', 'serial.log')), 'the serial log stays for reading');
  await assertCleanedUp(run.pid());
});

test('a marker that never comes times out with the serial tail and a stuck-firmware hint', async () => {
  const run = withPidProbe({ ...firmwareRun(images, 'machine'), until: /login:/, timeoutMs: 20_000 });
  const error = await rejection(runVm(run.options));
  assert.is(error.code, ExitCode.vm);
  assert.match(error.message, 'gave up after 20 s waiting for its serial console to match /login:/');
  assert.match(error.details ?? '', 'UEFI firmware');
  assert.match(error.hint ?? '', 'UEFI shell');
  await assertCleanedUp(run.pid());
});

test('QEMU that rejects its command line fails with its own words', async () => {
  const options = firmwareRun(images, 'machine', ['-bogus']);
  const error = await rejection(runVm({ ...options, until: banner, timeoutMs: 30_000 }));
  assert.is(error.code, ExitCode.vm);
  assert.match(error.message, 'exited with code 1 before its serial console matched');
  assert.match(error.details ?? '', '-bogus: invalid option');
  assert.not.ok(await exists(images.paths.lock('vm-machine')), 'lock removed');
});

test('a known QEMU failure comes with its explanation', async () => {
  const options = firmwareRun(images, 'machine', ['-cpu', 'host']);
  const error = await rejection(runVm({ ...options, until: banner, timeoutMs: 30_000 }));
  assert.is(error.code, ExitCode.host);
  assert.match(error.message, '-cpu host');
  assert.match(error.hint ?? '', '-cpu max');
  assert.match(error.details ?? '', "unable to find CPU model 'host'");
});

test('the abort signal stops QEMU cleanly: no process left, the disk image intact', async () => {
  const disk = join(images.root, 'disk.qcow2');
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
  const controller = new AbortController();
  const run = withPidProbe({
    ...firmwareRun(images, 'machine', ['-drive', 'file=disk.qcow2,if=virtio,format=qcow2']),
    until: /never printed/,
    signal: controller.signal,
  });
  const onLine = run.options.onLine!;
  run.options.onLine = (line) => {
    onLine(line);
    controller.abort();
  };
  const error = await rejection(runVm(run.options));
  assert.is(error.code, ExitCode.interrupted);
  assert.match(error.message, 'interrupted');
  await assertCleanedUp(run.pid());
  const check = await execa('qemu-img', ['check', disk], { reject: false });
  assert.is(check.exitCode, 0, check.stdout + check.stderr);
});

test('starting a VM that is already running is refused, not a second QEMU', async () => {
  const controller = new AbortController();
  let firstSeen!: () => void;
  const seen = new Promise<void>((resolve) => (firstSeen = resolve));
  const first = runVm({
    ...firmwareRun(images, 'machine'),
    until: /never printed/,
    signal: controller.signal,
    onLine: () => firstSeen(),
  });
  first.catch(() => undefined);
  try {
    await seen;
    const pid = Number(readFileSync(images.paths.vmFile('machine', 'pid'), 'utf8'));
    const error = await rejection(runVm({ ...firmwareRun(images, 'machine'), until: banner }));
    assert.is(error.code, ExitCode.vm);
    assert.match(error.message, `machine is already running (pid ${pid})`);
    assert.ok(processAlive(pid), 'the first QEMU is untouched');
  } finally {
    controller.abort();
    await first.catch(() => undefined);
  }
});

test('a stale lock from a dead kubenet does not stop a new run', async () => {
  const gone = execa('true');
  await gone;
  const lock = images.paths.lock('vm-machine');
  await mkdir(dirname(lock), { recursive: true });
  await writeFile(lock, JSON.stringify({ ...ownerRecord('running machine'), pid: gone.pid }));
  const result = await runVm({ ...firmwareRun(images, 'machine'), until: banner, timeoutMs: 60_000 });
  assert.ok(result.matched);
  assert.not.ok(await exists(lock));
});

test('without a marker, a QEMU that exits 0 by itself is a success', async () => {
  const result = await runVm({
    ...firmwareRun(images, 'machine'),
    command: { exe: 'qemu-system-aarch64', args: ['-version'], sudo: false },
  });
  assert.is(result.exitCode, 0);
  assert.is(result.stopped, 'already-exited');
});

test('a marker printed just before the guest powers off still counts', async () => {
  // A stand-in QEMU that writes its last line and exits at once, as a test guest does.
  const options = firmwareRun(images, 'machine');
  const script = `require('fs').writeFileSync(process.argv[1], 'booted\\r\\nKUBENET-DONE'); setTimeout(() => {}, 0)`;
  const result = await runVm({
    ...options,
    command: { exe: process.execPath, args: ['-e', script, options.serialLog], sudo: false },
    until: /KUBENET-DONE/,
  });
  assert.is(result.matched, 'KUBENET-DONE');
  assert.is(result.exitCode, 0);
});

test('kubenet stopped by SIGTERM stops its QEMU and exits 130', async () => {
  const child = execa(
    process.execPath,
    [new URL('../helpers/vm-child.js', import.meta.url).pathname, images.root, 'machine'],
    { reject: false, buffer: { stdout: false } },
  );
  try {
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const pid = Number(readFileSync(images.paths.vmFile('machine', 'pid'), 'utf8'));
    child.kill('SIGTERM');
    const result = await child;
    assert.is(result.exitCode, ExitCode.interrupted, String(result.stderr));
    assert.match(String(result.stderr), 'interrupted (SIGTERM)');
    assert.not.ok(processAlive(pid), 'QEMU is gone');
  } finally {
    child.kill('SIGKILL');
  }
});

test('kubenet killed hard takes its QEMU with it, and the next run starts', async () => {
  const child = execa(
    process.execPath,
    [new URL('../helpers/vm-child.js', import.meta.url).pathname, images.root, 'machine'],
    { reject: false, buffer: { stdout: false } },
  );
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  const pid = Number(readFileSync(images.paths.vmFile('machine', 'pid'), 'utf8'));
  child.kill('SIGKILL');
  await child;
  assert.ok(await eventually(() => !processAlive(pid)), 'QEMU died with its parent');
  const result = await runVm({ ...firmwareRun(images, 'machine'), until: banner, timeoutMs: 60_000 });
  assert.ok(result.matched);
});

// A run that QEMU stopped must end long before its timeout: the test gives it `boundMs`, then
// aborts it (so nothing is left behind) and fails.
const stoppedVmBoundMs = 30_000;
async function failsWithin(options: RunVmOptions, boundMs = stoppedVmBoundMs): Promise<KubenetError> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), boundMs);
  try {
    const error = await rejection(runVm({ ...options, signal: controller.signal }));
    assert.not.ok(controller.signal.aborted, `still running after ${boundMs / 1000} s: ${error.message}`);
    return error;
  } finally {
    clearTimeout(timer);
  }
}

// What QEMU prints when KVM cannot run the firmware: the error, then a register dump.
const kvmDump = [
  'KVM internal error. Suberror: 1',
  ...Array.from({ length: 8 }, (_, i) => `extra data[${i}]: 0x0000000000000000`),
  'emulation failure',
  ...Array.from({ length: 20 }, (_, i) => `R${i}=0000000000000000`),
].join('\n');

const fakeQemu = (images: TempImages) => ({
  ...firmwareRun(images, 'machine'),
  command: {
    exe: process.execPath,
    args: [fakeQemuScript, '-qmp', `unix:${images.paths.vmFile('machine', 'qmp.sock')},server=on,wait=off`],
    sudo: false,
  },
});

test("a VM that QEMU stopped with a KVM internal error fails at once, in QEMU's words, and QEMU is gone", async () => {
  const undo = fakeQemuEnv({ status: 'internal-error', stderr: `${kvmDump}\n` });
  try {
    const error = await failsWithin({ ...fakeQemu(images), until: /login:/, timeoutMs: 240_000 });
    assert.is(error.code, ExitCode.host);
    assert.match(error.message, 'KVM internal error. Suberror: 1');
    assert.match(error.details ?? '', /QEMU said:\n {2}KVM internal error\. Suberror: 1\n/);
    assert.match(error.details ?? '', 'emulation failure');
    assert.match(error.hint ?? '', '--accel tcg');
    assert.not.match(error.message, 'gave up');
    assert.not.ok(await exists(images.paths.vmFile('machine', 'pid')), 'pid file removed');
    assert.not.ok(await exists(images.paths.lock('vm-machine')), 'lock removed');
  } finally {
    undo();
  }
});

test('a guest panic ends the run at once with what QEMU reported', async () => {
  const undo = fakeQemuEnv({ status: 'guest-panicked' });
  try {
    const error = await failsWithin({ ...fakeQemu(images), until: /login:/, timeoutMs: 240_000 });
    assert.is(error.code, ExitCode.vm);
    assert.match(error.message, 'machine: QEMU stopped the VM: the guest kernel panicked');
    assert.match(error.hint ?? '', 'serial log');
  } finally {
    undo();
  }
});

test('a QMP that never answers leaves the run to its timeout, says so in --verbose, and still stops QEMU', async () => {
  const undo = fakeQemuEnv({ silent: true });
  const details: string[] = [];
  try {
    const error = await failsWithin({
      ...fakeQemu(images),
      until: /login:/,
      timeoutMs: 12_000,
      detail: (line) => details.push(line),
    });
    assert.match(error.message, 'gave up after 12 s');
    assert.match(details.join('\n'), /run-state watch off: .*no QMP greeting/);
    assert.not.ok(await exists(images.paths.vmFile('machine', 'pid')), 'pid file removed');
  } finally {
    undo();
  }
});

test(
  'with a release, a VM whose console matched runs on until ' +
    'the release, then is stopped; its timeout no longer counts',
  async () => {
    const { options } = withPidProbe({ ...fakeQemu(images), until: /guest ready/, timeoutMs: 3_000, graceMs: 500 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let matchedAt: number | undefined;
    const run = runVm({
      ...options,
      release: released,
      started: () => void writeFile(options.serialLog, 'guest ready\n'),
      onMatch: () => (matchedAt = performance.now()),
    });
    assert.ok(await eventually(() => matchedAt !== undefined, 10_000), 'the match was reported');
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // past its timeout
    assert.ok(await exists(images.paths.vmFile('machine', 'pid')), 'still running after the match');
    release();
    const result = await run;
    assert.is(result.matched, 'guest ready');
    assert.not.ok(await exists(images.paths.vmFile('machine', 'pid')), 'stopped after the release');
  },
);

testOnHost(
  test,
  kvmPvmHost(),
  needsKvmPvm,
  'on a kvm_pvm host the x86_64 test guest under accel=kvm fails at once, not at its timeout, and no QEMU is left',
  async () => {
    const truth = kvmTruth();
    assert.ok(truth && !truth.works, 'QEMU itself cannot run OVMF under kvm here');
    const guest = await testGuest('x86_64');
    const options: RunVmOptions = {
      ...firmwareRun(images, 'machine'),
      command: {
        exe: 'qemu-system-x86_64',
        args: [
          '-machine',
          'q35,accel=kvm',
          '-cpu',
          'host',
          '-m',
          '512M',
          '-nodefaults',
          '-bios',
          '/usr/share/ovmf/OVMF.fd',
          '-drive',
          `file=${guest.cloudImage},format=qcow2,if=virtio,snapshot=on`,
          '-display',
          'none',
          '-serial',
          `file:${images.paths.vmFile('machine', 'serial.log')}`,
          '-qmp',
          `unix:${images.paths.vmFile('machine', 'qmp.sock')},server=on,wait=off`,
        ],
        sudo: false,
      },
      until: /KUBENET-GUEST: done/,
      timeoutMs: 240_000,
    };
    try {
      const error = await failsWithin(options);
      assert.is(error.code, ExitCode.host, error.message);
      assert.match(error.message, 'accel=kvm cannot run it here');
      assert.match(error.details ?? '', `QEMU said:\n  ${truth.said}\n`);
      assert.match(error.hint ?? '', '--accel tcg');
      assert.equal(qemuProcessesIn(images.root), [], 'no QEMU left');
    } finally {
      for (const pid of qemuProcessesIn(images.root)) process.kill(pid, 'SIGKILL');
    }
  },
);

test.run();
