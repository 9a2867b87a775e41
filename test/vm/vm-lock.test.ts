import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa, type ResultPromise } from 'execa';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { ownerRecord, type LockOwner } from '../../lib/lock/lock-owner.js';
import { writeRunRecord } from '../../lib/vm/run-record.js';
import { acquireVmLock, vmMarks } from '../../lib/vm/vm-lock.js';
import { rejection as rejectionOf } from '../helpers/rejection.js';
import { tempImages, type TempImages } from '../helpers/vm-qemu.js';

const test = suite('vm-lock');
let images: TempImages;
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

test.before.each(async () => {
  images = await tempImages();
});
test.after.each(async () => {
  await images.cleanup();
});

async function deadPid(): Promise<number> {
  const gone = execa('true');
  await gone;
  return gone.pid!;
}

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, KubenetError);

const holder = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as LockOwner;

test('the lock names this kubenet and what it does, and is removed on release', async () => {
  const file = images.paths.lock('vm-ubuntu0');
  const lock = await acquireVmLock(images.paths, 'ubuntu0');
  assert.is((await holder(file)).pid, process.pid);
  assert.is((await holder(file)).what, 'running ubuntu0');
  await lock.release();
  assert.not.ok(await exists(file));
});

test(
  'a second start while the owner lives is refused at once ' + 'with exit code 30, naming the QEMU pid and what to do',
  async () => {
    const lock = await acquireVmLock(images.paths, 'ubuntu0');
    try {
      await mkdir(images.paths.vmDir('ubuntu0'), { recursive: true });
      await writeFile(images.paths.vmFile('ubuntu0', 'pid'), `${process.pid}\n`);
      const error = await rejection(acquireVmLock(images.paths, 'ubuntu0'));
      assert.is(error.code, ExitCode.vm);
      assert.match(error.message, `ubuntu0 is already running (pid ${process.pid})`);
      assert.is(
        error.hint,
        `stop it first: kubenet stop ubuntu0; if no such VM runs, remove ${images.paths.lock('vm-ubuntu0')}`,
      );
    } finally {
      await lock.release();
    }
  },
);

test('the advice fits how the VM runs: a console in another terminal, or detached', async () => {
  const lock = await acquireVmLock(images.paths, 'ubuntu0');
  try {
    await mkdir(images.paths.vmDir('ubuntu0'), { recursive: true });
    await writeFile(images.paths.vmFile('ubuntu0', 'pid'), `${process.pid}\n`);
    await writeRunRecord(images.paths, 'ubuntu0', {
      kubenet: process.pid,
      detached: false,
      console: 'terminal',
      startedAt: new Date().toISOString(),
    });
    const console = await rejection(acquireVmLock(images.paths, 'ubuntu0'));
    assert.match(
      console.hint ?? '',
      'stop it first: Ctrl-A X in the terminal that shows its console, or kubenet stop ubuntu0',
    );
    await writeRunRecord(images.paths, 'ubuntu0', {
      kubenet: process.pid,
      detached: true,
      console: 'headless',
      startedAt: new Date().toISOString(),
    });
    const detached = await rejection(acquireVmLock(images.paths, 'ubuntu0'));
    assert.match(detached.hint ?? '', 'stop it first: kubenet stop ubuntu0');
    assert.not.match(detached.hint ?? '', 'Ctrl-');
  } finally {
    await lock.release();
  }
});

test('a lock left by a dead kubenet is taken over', async () => {
  const file = images.paths.lock('vm-ubuntu0');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ ...ownerRecord('running ubuntu0'), pid: await deadPid() }));
  const lock = await acquireVmLock(images.paths, 'ubuntu0');
  assert.is((await holder(file)).pid, process.pid);
  await lock.release();
});

test('a live QEMU of this VM in the pid file counts as running even without a lock', async () => {
  // A stand-in whose argv looks like this VM's QEMU: kubenet was killed, QEMU lived on.
  const marks = vmMarks(images.paths, 'ubuntu0');
  let fake: ResultPromise | undefined;
  try {
    fake = execa(
      process.execPath,
      ['-e', 'setTimeout(() => {}, 60000)', 'qemu-system-aarch64', '-serial', `file:${marks[0]}`],
      { reject: false },
    );
    await mkdir(images.paths.vmDir('ubuntu0'), { recursive: true });
    await writeFile(images.paths.vmFile('ubuntu0', 'pid'), `${fake.pid}\n`);
    const error = await rejection(acquireVmLock(images.paths, 'ubuntu0'));
    assert.match(error.message, `already running (pid ${fake.pid})`);
    assert.not.ok(await exists(images.paths.lock('vm-ubuntu0')), 'the lock is not kept');
  } finally {
    fake?.kill('SIGKILL');
    await fake;
  }
});

test('a pid file naming some other live process does not block', async () => {
  await mkdir(images.paths.vmDir('ubuntu0'), { recursive: true });
  await writeFile(images.paths.vmFile('ubuntu0', 'pid'), `${process.pid}\n`); // alive, but not a QEMU
  const lock = await acquireVmLock(images.paths, 'ubuntu0');
  await lock.release();
});

test('release leaves a lock that someone else took over alone', async () => {
  const file = images.paths.lock('vm-ubuntu0');
  const lock = await acquireVmLock(images.paths, 'ubuntu0');
  await rm(file); // taken over: the stale lock removed, a new one made
  await writeFile(file, JSON.stringify({ ...ownerRecord('running ubuntu0'), pid: 1 }));
  await lock.release();
  assert.is((await holder(file)).pid, 1);
});

test.run();
