// `kubenet stop` as a user runs it: its usage errors, and how it says each way a stop ended,
// with stand-in QEMUs (test/helpers/fake-vm.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, writeFile } from 'node:fs/promises';
import { kubenetAsync } from '../../helpers/cli.js';
import { fakeVmCases } from '../../helpers/fake-vm.js';

const test = suite('kubenet stop');
const vms = fakeVmCases(test);
const stop = async (...args: string[]) => {
  await mkdir(vms.images.paths.vmDir('machine'), { recursive: true }); // a VM that ran once: its serial log is there
  await writeFile(vms.images.paths.vmFile('machine', 'serial.log'), '');
  return kubenetAsync(['stop', '--images', vms.images.root, ...args], { timeoutMs: 60_000 });
};

const usage: Array<[string[], string]> = [
  [[], 'stop needs a VM, or --all'],
  [['machine', '--all'], '--all stops every VM: name none with it'],
  [['machin'], 'no VM named machin in'],
  [['machine', '--grace', 'soon'], '--grace soon is not a number of seconds'],
  [['machine', '--timeout', '3'], 'kubenet stop does not take --timeout'],
];
for (const [args, message] of usage) {
  test(`stop ${args.join(' ')}: exit 2, "${message}"`, async () => {
    const r = await stop(...args);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
  });
}

test('a VM that is not running is said so, exit 0; --all with none running too', async () => {
  const one = await stop('machine');
  assert.equal([one.code, one.stdout], [0, 'machine is not running\n']);
  const all = await stop('--all');
  assert.equal([all.code, all.stdout], [0, 'no VM is running\n']);
});

test('each VM stopped says how it ended: powered off over ACPI, or quit after the grace', async () => {
  await vms.start('machine', { acpi: true });
  await vms.start('ubuntu0');
  const r = await stop('--all', '--grace', '1');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^machine: the guest powered off after [\d.]+ s, asked through the ACPI power button$/m);
  assert.match(
    r.stdout,
    /^ubuntu0: the guest did not power off within 1 s; QEMU quit cleanly, disks flushed, after [\d.]+ s$/m,
  );
});

test.run();
