// `kubenet status` as a user runs it, with stand-in QEMUs (test/helpers/fake-vm.ts) for VMs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFile } from 'node:fs/promises';
import { duration } from '../../../lib/cli/commands/status.js';
import { kubenetAsync } from '../../helpers/cli.js';
import { fakeVmCases } from '../../helpers/fake-vm.js';

const test = suite('kubenet status');
const vms = fakeVmCases(test);
const status = (...args: string[]) =>
  kubenetAsync(['status', '--images', vms.images.root, ...args], { timeoutMs: 30_000 });

test('no VM yet: it says so, exit 0; --json is an empty list', async () => {
  const text = await status();
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, 'no VMs yet');
  assert.equal(JSON.parse((await status('--json')).stdout), []);
});

test('every VM folder, running or not: a detached one with its port, a stale one, one never started', async () => {
  const { paths } = vms.images;
  const up = await vms.start('ubuntu0', {}, { startedAt: new Date(Date.now() - 200_000).toISOString() });
  await writeFile(paths.vmFile('ubuntu0', 'ssh-port'), '40022\n');
  const stale = await vms.start('machine');
  await stale.kill();
  await (await vms.start('live-cd')).kill();
  await writeFile(paths.vmFile('live-cd', 'pid'), ''); // a pid file that names nothing
  const r = await status();
  assert.is(r.code, 0, r.stderr);
  const heads = r.stdout.split('\n').filter((line) => !line.startsWith(' ') && line !== '');
  assert.equal(
    heads.map((line) => line.replace(/up 3 min \d+ s/, 'up 3 min …')),
    [
      'live-cd: not running',
      `machine: not running (stale pid file: QEMU ${stale.pid} is gone; the next run of machine tidies it)`,
      `ubuntu0: running, pid ${up.pid}, up 3 min …, run state running, detached`, // started 200 s ago
    ],
  );
  assert.match(r.stdout, "  ssh         127.0.0.1:40022 → the guest's port 22 (kubenet ssh ubuntu0)");
  assert.match(r.stdout, '  stop        kubenet stop ubuntu0');
});

const durations: Array<[number, string]> = [
  [0, '0 s'],
  [45, '45 s'],
  [185, '3 min 5 s'],
  [3600, '1 h'],
  [7385, '2 h 3 min'],
  [93_600, '1 d 2 h'],
];
for (const [seconds, words] of durations)
  test(`an uptime of ${seconds} s reads "${words}"`, () => assert.is(duration(seconds), words));

test.run();
