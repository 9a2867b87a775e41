// End to end: background VMs with the real CLI and real QEMU under TCG. `kubenet run uefi` boots
// the aarch64 firmware, which waits in its shell: a VM that stays up until stopped. For one with
// a forwarded ssh port, 03-cloud-image boots a disk with nothing on it (a blank qcow2 published
// as the cloud image by a local mirror): its firmware finds nothing to boot and stays up too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { blankCloud, type BlankCloud } from '../helpers/blank-cloud.js';
import type { FaultServer } from '../helpers/fault-server.js';
import { alive, killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { eventually } from '../helpers/vm-qemu.js';

const test = suite('e2e: background VMs under TCG');
let folder: BlankCloud | undefined;
let dir: { path: string };
let images: string;
let server: FaultServer;

test.before(async () => {
  folder = await blankCloud('kubenet-e2e-bg-');
  ({ images, server } = folder);
  dir = { path: folder.dir };
});
test.after(async () => {
  await folder?.close();
});

// Every kubenet call ends within its bound (a hang fails the case, the process is killed).
const kubenet = (args: string[], timeoutMs = 120_000) =>
  kubenetAsync([...args, '--images', images], { cwd: dir.path, timeoutMs, env: { HOME: join(dir.path, 'home') } });
const run = (word: string, ...args: string[]) =>
  kubenet(['run', word, '--arch', 'aarch64', '--mirror', server.url, '--memory', '256M', ...args], 300_000);
const vmFile = (vm: string, file: string) => join(images, 'vm', vm, file);
const pidOf = (vm: string) => Number(readFileSync(vmFile(vm, 'pid'), 'utf8'));
const parentOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [, ppid, , session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(ppid), session: Number(session) };
};
const runFiles = (vm: string) =>
  ['pid', 'run.json', 'qmp.sock', 'control.sock'].filter((f) => existsSync(vmFile(vm, f)));

// Each case starts the VMs it needs and, pass or fail, leaves no QEMU behind.
async function withDetachedUefi(check: (pid: number) => Promise<void>): Promise<void> {
  try {
    const r = await run('uefi', '--detach', '--timeout', '120');
    assert.is(r.code, 0, r.stderr + r.stdout);
    await check(pidOf('machine'));
  } finally {
    killQemuIn(images);
  }
}

test('run --detach returns while the VM keeps running, its kubenet gone, and says how to reach it', async () => {
  let kubenetPid: number | undefined;
  try {
    const r = await kubenetAsync(
      ['run', 'uefi', '--detach', '--arch', 'aarch64', '--images', images, '--timeout', '120'],
      { cwd: dir.path, timeoutMs: 300_000, onSpawn: (child) => (kubenetPid = child.pid) },
    );
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(
      r.stdout,
      new RegExp(
        /machine is up after [\d.]+ s \(QEMU runs and its serial console printed ".+"\) /.source +
          /and runs in the background, pid \d+/.source,
      ),
    );
    assert.match(r.stdout, `serial console  ${vmFile('machine', 'serial.log')}`);
    assert.match(r.stdout, 'kubenet status');
    assert.match(r.stdout, 'kubenet stop machine');
    const pid = pidOf('machine');
    assert.ok(alive(pid), 'QEMU runs');
    assert.not.ok(alive(kubenetPid!), 'kubenet has exited');
    const { ppid, session } = parentOf(pid);
    assert.is.not(ppid, kubenetPid, 'its parent is gone');
    assert.is(session, pid, 'a session of its own');
    assert.equal(qemuProcessesIn(images), [pid]);
  } finally {
    killQemuIn(images);
  }
});

test('status shows it running, with its run state, uptime and how it runs', () =>
  withDetachedUefi(async (pid) => {
    const text = await kubenet(['status']);
    assert.is(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`machine: running, pid ${pid}, up \\d+ (s|min).*, run state running, detached`),
    );
    assert.match(text.stdout, 'stop        kubenet stop machine');
    const json = await kubenet(['status', '--json']);
    const machine = (JSON.parse(json.stdout) as Array<Record<string, unknown>>).find((vm) => vm.name === 'machine')!;
    assert.equal(
      [machine.running, machine.pid, machine.runState, machine.detached, typeof machine.uptimeSeconds],
      [true, pid, 'running', true, 'number'],
    );
  }));

test('a second run is refused with the advice for a detached VM, and reset refuses too', () =>
  withDetachedUefi(async (pid) => {
    const second = await run('uefi', '--headless', '--until', 'never', '--timeout', '60');
    assert.is(second.code, 30, second.stderr + second.stdout);
    assert.match(second.stderr, `machine is already running (pid ${pid})`);
    assert.match(second.stderr, '→ stop it first: kubenet stop machine');
    assert.not.match(second.stderr, 'Ctrl-C');
    const reset = await kubenet(['reset', '01-machine', '--yes', '--arch', 'aarch64']);
    assert.is(reset.code, 30, reset.stderr + reset.stdout);
    assert.match(reset.stderr, 'kubenet stop machine');
    assert.ok(existsSync(vmFile('machine', 'serial.log')), 'nothing deleted');
    assert.equal(qemuProcessesIn(images), [pid], 'still one QEMU, the same');
  }));

test('stop powers it off (the firmware ignores ACPI: QEMU quits after the grace) and leaves nothing', () =>
  withDetachedUefi(async (pid) => {
    const r = await kubenet(['stop', 'machine', '--grace', '1']);
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, 'machine: the guest did not power off within 1 s; QEMU quit cleanly, disks flushed');
    assert.not.ok(alive(pid));
    assert.equal(qemuProcessesIn(images), []);
    assert.equal(runFiles('machine'), []);
    assert.not.ok(existsSync(join(images, '.kubenet/locks/vm-machine.lock')), 'no lock');
    const again = await kubenet(['stop', 'machine']);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, 'machine is not running');
    const unknown = await kubenet(['stop', 'machin']);
    assert.is(unknown.code, 2);
    assert.match(unknown.stderr, 'did you mean machine?');
  }));

test(
  'a VM with user networking: ssh is forwarded, status shows the ' +
    'port, and a second start is a no-op that leaves the port as it was',
  async () => {
    try {
      const r = await run('03-cloud-image', '--detach', '--timeout', '120');
      assert.is(r.code, 0, r.stderr + r.stdout);
      const port = Number(readFileSync(vmFile('ubuntu0', 'ssh-port'), 'utf8'));
      assert.match(r.stdout, `log in          kubenet ssh ubuntu0   (127.0.0.1:${port} → the guest's port 22)`);
      const status = JSON.parse((await kubenet(['status', '--json'])).stdout) as Array<Record<string, unknown>>;
      assert.is(status.find((vm) => vm.name === 'ubuntu0')!.sshPort, port);
      const second = await run('03-cloud-image', '--detach', '--offline');
      assert.is(second.code, 0, second.stderr + second.stdout);
      assert.match(second.stdout, /ubuntu0 is up already \(pid \d+, detached\): nothing to start/);
      assert.is(
        Number(readFileSync(vmFile('ubuntu0', 'ssh-port'), 'utf8')),
        port,
        'kubenet ssh still reaches the running VM',
      );
      const stop = await kubenet(['stop', '--all', '--grace', '1']);
      assert.is(stop.code, 0, stop.stderr);
      assert.match(stop.stdout, 'ubuntu0: the guest did not power off within 1 s; QEMU quit cleanly');
      assert.equal(qemuProcessesIn(images), []);
    } finally {
      killQemuIn(images);
    }
  },
);

test('--detach with a --until that never matches fails at the timeout and leaves no QEMU', async () => {
  try {
    const r = await run('uefi', '--detach', '--until', 'NEVER-PRINTED-MARKER', '--timeout', '15');
    assert.is(r.code, 30, r.stderr + r.stdout);
    assert.match(
      r.stderr,
      'machine: gave up after 15 s waiting for its serial console to match /NEVER-PRINTED-MARKER/',
    );
    assert.match(r.stderr, 'Last serial lines');
    assert.equal(qemuProcessesIn(images), []);
    assert.equal(runFiles('machine'), []);
  } finally {
    killQemuIn(images);
  }
});

test('a detached QEMU killed hard is shown by status as not running, and the next run tidies up', () =>
  withDetachedUefi(async (pid) => {
    process.kill(pid, 'SIGKILL');
    assert.ok(await eventually(() => !alive(pid)), 'QEMU is gone');
    const status = await kubenet(['status']);
    assert.match(
      status.stdout,
      `machine: not running (stale pid file: QEMU ${pid} is gone; the next run of machine tidies it)`,
    );
    const next = await run('uefi', '--detach');
    assert.is(next.code, 0, next.stderr + next.stdout);
    assert.is.not(pidOf('machine'), pid);
    assert.is((await kubenet(['stop', 'machine', '--grace', '0'])).code, 0);
    assert.equal(qemuProcessesIn(images), []);
  }));

test('stop works on a VM a foreground kubenet runs: that kubenet ends as when the guest powers off', async () => {
  const foreground = run('uefi', '--headless');
  try {
    assert.ok(await eventually(() => existsSync(vmFile('machine', 'run.json')), 120_000), 'the VM started');
    const status = await kubenet(['status']);
    assert.match(status.stdout, /machine: running, .*run by kubenet pid \d+ \(headless\)/);
    assert.match(status.stdout, /stop {8}Ctrl-C where kubenet runs it \(pid \d+\), or kubenet stop machine/);
    const stop = await kubenet(['stop', 'machine', '--grace', '1']);
    assert.is(stop.code, 0, stop.stderr);
    const r = await foreground;
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /machine exited \(code 0\) after [\d.]+ s/);
    assert.equal(qemuProcessesIn(images), []);
    assert.equal(runFiles('machine'), []);
  } finally {
    killQemuIn(images);
    await foreground.catch(() => undefined);
  }
});

test.run();
