// A VM as a detached run leaves it, with fake-qemu.js standing in for QEMU (its argv[0] is
// qemu-system-fake, so kubenet recognises it): the pid file, the run record and both QMP sockets
// in a temp images folder. For stop and status tests that need no guest. The test's process is
// its parent; kill() ends it whatever it ignores.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Test } from 'uvu';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Paths } from '../../lib/paths.js';
import { writeRunRecord, type RunRecord } from '../../lib/vm/run-record.js';
import { fakeQemuScript, fakeQemuVars, type FakeQemuBehaviour } from './fake-qmp.js';
import { eventually, tempImages, type TempImages } from './vm-qemu.js';

export interface FakeVm {
  pid: number;
  child: ChildProcess;
  gone: Promise<void>; // the process ended
  kill(): Promise<void>;
}

export async function startFakeVm(
  paths: Paths,
  vm: string,
  behaviour: FakeQemuBehaviour = {},
  record: Partial<RunRecord> = {},
): Promise<FakeVm> {
  await mkdir(paths.vmDir(vm), { recursive: true });
  const qmp = (file: 'qmp.sock' | 'control.sock') => ['-qmp', `unix:${paths.vmFile(vm, file)},server=on,wait=off`];
  const child = spawn(
    process.execPath,
    [fakeQemuScript, '-serial', `file:${paths.vmFile(vm, 'serial.log')}`, ...qmp('qmp.sock'), ...qmp('control.sock')],
    {
      argv0: 'qemu-system-fake',
      cwd: paths.root,
      env: { ...process.env, ...fakeQemuVars(behaviour) },
      stdio: 'ignore',
    },
  );
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await gone;
  };
  if (!(await eventually(() => existsSync(paths.vmFile(vm, 'control.sock')), 10_000))) {
    await kill();
    throw new Error('the fake QEMU made no QMP socket within 10 s');
  }
  await writeFile(paths.vmFile(vm, 'pid'), `${pid}\n`);
  await writeRunRecord(paths, vm, {
    kubenet: 999_999_999,
    detached: true,
    console: 'headless',
    startedAt: new Date().toISOString(),
    ...record,
  });
  return { pid, child, gone, kill };
}

// A temp images folder for each case of `test`, and the fake VMs a case starts in it: all
// killed and removed after the case, pass or fail.
export function fakeVmCases(test: Test): {
  readonly images: TempImages;
  start(vm: string, behaviour?: FakeQemuBehaviour, record?: Partial<RunRecord>): Promise<FakeVm>;
} {
  let images: TempImages;
  let fakes: FakeVm[] = [];
  test.before.each(async () => {
    images = await tempImages();
    fakes = [];
  });
  test.after.each(async () => {
    await Promise.all(fakes.map((f) => f.kill()));
    await images.cleanup();
  });
  return {
    get images() {
      return images;
    },
    async start(vm, behaviour = {}, record = {}) {
      const fake = await startFakeVm(images.paths, vm, behaviour, record);
      fakes.push(fake);
      return fake;
    },
  };
}
