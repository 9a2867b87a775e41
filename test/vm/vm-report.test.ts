// What kubenet status reports of each VM folder, with stand-in QEMUs (test/helpers/fake-vm.ts):
// a running VM with its run state, port, uptime and how it runs; a stale pid file; a QMP that does
// not answer, reported within the bound instead of hanging.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { vmNames, vmReport } from '../../lib/vm/vm-report.js';
import { fakeVmCases } from '../helpers/fake-vm.js';

const test = suite('vm-report');
const vms = fakeVmCases(test);

test(
  'the VMs are the folders under images/vm/ of VMs that ' + 'were started, by name; a file or a link there is not one',
  async () => {
    assert.equal(await vmNames(vms.images.paths), [], 'no images/vm/ yet');
    for (const vm of ['ubuntu0', 'live-cd', 'machine', 'gateway', 'worker2'])
      await mkdir(vms.images.paths.vmDir(vm), { recursive: true });
    for (const vm of ['ubuntu0', 'live-cd', 'machine']) await writeFile(vms.images.paths.vmFile(vm, 'serial.log'), '');
    await writeFile(vms.images.paths.vmFile('worker2', 'pid'), '123\n');
    await writeFile(vms.images.paths.vmFile('gateway', 'instance-id'), 'iid-x\n'); // seeded, never started
    await writeFile(vms.images.paths.vmDir('notes.txt'), '');
    await symlink('/tmp', vms.images.paths.vmDir('elsewhere'));
    assert.equal(await vmNames(vms.images.paths), ['live-cd', 'machine', 'ubuntu0', 'worker2']);
  },
);

test('a detached VM: pid, uptime, run state, ssh port, serial log, detached', async () => {
  const fake = await vms.start('ubuntu0', {}, { startedAt: new Date(Date.now() - 65_000).toISOString() });
  await writeFile(vms.images.paths.vmFile('ubuntu0', 'ssh-port'), '40022\n');
  const r = await vmReport(vms.images.paths, 'ubuntu0');
  assert.equal(
    { ...r, uptimeSeconds: r.uptimeSeconds! >= 65 && r.uptimeSeconds! < 120 },
    {
      name: 'ubuntu0',
      running: true,
      pid: fake.pid,
      uptimeSeconds: true,
      runState: 'running',
      sshPort: 40022,
      serialLog: vms.images.paths.vmFile('ubuntu0', 'serial.log'),
      detached: true,
      kubenetPid: 999_999_999,
      runs: 'detached',
      stopWith: 'kubenet stop ubuntu0',
    },
  );
});

test('a VM a foreground kubenet runs says which, and how to stop it there', async () => {
  await vms.start('machine', {}, { detached: false, kubenet: process.pid, console: 'terminal' });
  const r = await vmReport(vms.images.paths, 'machine');
  assert.is(r.runs, `run by kubenet pid ${process.pid} (its console in a terminal)`);
  assert.is(r.stopWith, 'Ctrl-A X in the terminal that shows its console, or kubenet stop machine');
  assert.is(r.sshPort, undefined, 'no port file: no port');
});

test('a QEMU whose QMP does not answer is reported as such within the bound', async () => {
  await vms.start('machine', { silent: true });
  const started = Date.now();
  const r = await vmReport(vms.images.paths, 'machine', { qmpMs: 500 });
  assert.ok(Date.now() - started < 5000, 'no hang');
  assert.equal([r.running, r.runState, r.runStateError], [true, undefined, 'QMP did not answer within 0.5 s']);
});

test('a QEMU that is gone: not running, its stale pid told, the files left for the next run', async () => {
  const fake = await vms.start('machine');
  await fake.kill();
  const r = await vmReport(vms.images.paths, 'machine');
  assert.equal(r, {
    name: 'machine',
    running: false,
    stalePid: fake.pid,
    serialLog: vms.images.paths.vmFile('machine', 'serial.log'),
  });
});

test.run();
