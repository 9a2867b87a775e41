// kubenet stop against a stand-in QEMU that is not the stopping code's child (test/helpers/fake-vm.ts):
// each way a stop can end — the guest powers off, QEMU quits, QEMU without QMP ends on SIGTERM,
// a QEMU that ignores everything is killed — within its stated bound, and the VM's files go.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { isQemuOf } from '../../lib/vm/process-probe.js';
import { stopVm, type StoppedVm } from '../../lib/vm/stop-vm.js';
import { acquireVmLock, vmMarks } from '../../lib/vm/vm-lock.js';
import { fakeVmCases, type FakeVm } from '../helpers/fake-vm.js';

const test = suite('stopVm');
const vms = fakeVmCases(test);
let fake: FakeVm | undefined;

const files = ['pid', 'run.json', 'qmp.sock', 'control.sock'] as const;
const left = () => files.filter((f) => existsSync(vms.images.paths.vmFile('machine', f)));
const qemuGone = async () => !(await isQemuOf(fake!.pid, vmMarks(vms.images.paths, 'machine')));

// A stop must end by its documented bound: grace + 2 s (QMP) + quit + kill, plus the 2 s query.
async function stopWithin(options: Parameters<typeof stopVm>[2], boundMs: number): Promise<StoppedVm> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`stop still running after ${boundMs} ms`)), boundMs)),
  );
  try {
    return await Promise.race([stopVm(vms.images.paths, 'machine', options), late]);
  } finally {
    clearTimeout(timer);
  }
}

test("a guest that honours the ACPI power button powers off, and the VM's files go", async () => {
  fake = await vms.start('machine', { acpi: true });
  const stopped = await stopWithin({ graceMs: 10_000 }, 15_000);
  assert.is(stopped.ended, 'powered-off');
  assert.is(stopped.pid, fake.pid);
  assert.is(stopped.runState, 'running');
  assert.ok(stopped.tidied);
  assert.ok(await qemuGone(), 'QEMU is gone');
  assert.equal(left(), []);
  assert.not.ok(existsSync(vms.images.paths.lock('vm-machine')), 'no lock left');
});

test('a guest that ignores it gets the grace period, then QEMU quits', async () => {
  fake = await vms.start('machine');
  const stopped = await stopWithin({ graceMs: 500 }, 10_000);
  assert.is(stopped.ended, 'quit');
  assert.is(stopped.graceMs, 500);
  assert.equal(left(), []);
});

test('a VM that QEMU stopped (a guest panic) is quit at once: it cannot power off', async () => {
  fake = await vms.start('machine', { status: 'guest-panicked', acpi: true });
  const stopped = await stopWithin({ graceMs: 60_000 }, 10_000);
  assert.is(stopped.ended, 'quit');
  assert.is(stopped.graceMs, 0);
  assert.is(stopped.runState, 'guest-panicked');
});

test('a QMP that never answers: SIGTERM after its 2 s bounds, and QEMU ends cleanly', async () => {
  fake = await vms.start('machine', { silent: true });
  const stopped = await stopWithin({ graceMs: 10_000 }, 12_000);
  assert.is(stopped.ended, 'terminated');
  assert.is(stopped.runState, undefined);
  assert.equal(left(), []);
});

test('a QEMU that ignores quit and SIGTERM is killed, once quitMs has passed', async () => {
  fake = await vms.start('machine', { stubborn: true });
  const stopped = await stopWithin({ graceMs: 300, quitMs: 500 }, 10_000);
  assert.is(stopped.ended, 'killed');
  assert.equal(left(), []);
});

test('a VM that is not running says so; a stale pid file (its QEMU gone) is removed with its sockets', async () => {
  fake = await vms.start('machine');
  await fake.kill();
  const stopped = await stopWithin({}, 5000);
  assert.is(stopped.ended, 'not-running');
  assert.is(stopped.pid, fake.pid);
  assert.ok(stopped.tidied);
  assert.equal(left(), []);
});

test('a VM that never ran: not running, nothing to remove', async () => {
  const stopped = await stopWithin({}, 5000);
  assert.equal([stopped.ended, stopped.tidied], ['not-running', false]);
});

test(
  'a VM a foreground kubenet runs is stopped; its ' + 'files are left to that kubenet, which holds the lock',
  async () => {
    // held as the running kubenet (this process) holds it
    const lock = await acquireVmLock(vms.images.paths, 'machine');
    try {
      fake = await vms.start('machine', {}, { detached: false, kubenet: process.pid });
      const stopped = await stopWithin({ graceMs: 300 }, 10_000);
      assert.is(stopped.ended, 'quit');
      assert.ok(await qemuGone(), 'QEMU is gone');
      assert.not.ok(stopped.tidied);
      assert.ok(existsSync(vms.images.paths.vmFile('machine', 'pid')), 'the running kubenet removes its own files');
      assert.ok(existsSync(vms.images.paths.lock('vm-machine')));
    } finally {
      await lock.release();
    }
  },
);

test.run();
