// Words on the command line: a step's name runs that step and says so (the task goes by its full
// name); a mistyped VM gets a did-you-mean; --vm where no step takes it is refused with why; a
// refusal for root comes before any boot's command block. No VM boots here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { testOnHost } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('words');
let dir: ReturnType<typeof tempDir>;
test.before(() => {
  dir = tempDir('kubenet-words-');
});
test.after(() => dir.remove());

const kubenet = (...args: string[]) =>
  kubenetAsync([...args, '--images', join(dir.path, 'images')], {
    cwd: dir.path,
    env: { HOME: join(dir.path, 'home') },
    timeoutMs: 120_000,
  });

test('run live-cd runs step 5 and says so; the task is 02-live-cd', async () => {
  const r = await kubenet('run', 'live-cd', '--dry-run', '--arch', 'aarch64');
  assert.is(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    'live-cd is step 5 (Live CD) of 02-live-cd: that step runs; the whole task is kubenet run 02-live-cd',
  );
  assert.match(r.stdout, '02-live-cd: step 5, Live CD');
  assert.not.match(r.stdout, 'qemu-img create', 'not step 8, the disk');
  const task = await kubenet('run', '02-live-cd', '--dry-run', '--arch', 'aarch64');
  assert.match(task.stdout, '02-live-cd: step 8');
  assert.not.match(task.stderr, 'that step runs');
});

test('reset, which takes tasks, reads live-cd as the task', async () => {
  const r = await kubenet('reset', 'live-cd');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, '02-live-cd reset');
});

test('a mistyped VM gets a did-you-mean: --vm, ssh, stop, console, delete, cp', async () => {
  const launch = await kubenet('run', 'vm-launch', '--vm', 'gatewya', '--dry-run', '--arch', 'aarch64');
  assert.is(launch.code, 2);
  assert.match(launch.stderr, 'no VM gatewya in step vm-setup (did you mean gateway?)');
  for (const args of [
    ['ssh', 'gatewya'],
    ['delete', 'gatewya'],
    ['cp', 'x', 'gatewya:'],
  ]) {
    const r = await kubenet(...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, 'did you mean gateway?', args.join(' '));
  }
});

test('--vm on a step that boots one VM is refused, saying which VM it boots and which steps take --vm', async () => {
  const r = await kubenet('run', 'network', '--vm', 'gateway', '--arch', 'aarch64');
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, '--vm gateway: step network boots one VM, live-cd, and picks none');
  assert.match(r.stderr, '--vm picks the VMs of a step done for several');
  assert.is(r.stdout, '', 'nothing ran');
});

testOnHost(
  test,
  process.platform === 'linux',
  "the cluster's root commands are the Linux edition's",
  'a refusal for root comes first: the root commands under their reasons, one line each, no boot block before it',
  async () => {
    const r = await kubenet('run', 'vm-launch', '--vm', 'gateway', '--arch', 'aarch64');
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stdout, /^This run needs root: kubenet runs these \d+ commands/);
    assert.match(r.stderr, 'nothing was run or changed');
    assert.not.match(r.stdout, 'kubenet changes, so it can watch and stop the VM', 'no boot block');
    assert.not.match(r.stdout, /\\\n/, 'no multi-line command');
  },
);

test.run();
