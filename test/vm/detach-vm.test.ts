// detachVm with the real aarch64 firmware under TCG (test/helpers/vm-qemu.ts): it returns once
// the VM is up and leaves QEMU running on its own; until then a failure stops QEMU and fails as a
// foreground run does, leaving nothing behind.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { ExitCode } from '../../lib/errors.js';
import { detachVm, type DetachVmOptions } from '../../lib/vm/detach-vm.js';
import { processAlive } from '../../lib/process/pid-state.js';
import { readRunRecord } from '../../lib/vm/run-record.js';
import { fakeQemuEnv, fakeQemuScript } from '../helpers/fake-qmp.js';
import { failsWith } from '../helpers/fails-with.js';
import { banner, firmwareRun, killLeftover, tempImages, type TempImages } from '../helpers/vm-qemu.js';

const test = suite('detachVm');
let images: TempImages;
test.before.each(async () => {
  images = await tempImages();
});
test.after.each(async () => {
  await killLeftover(images.paths, 'machine');
  await images.cleanup();
});

const options = (extra: string[] = []): DetachVmOptions => {
  const { interactive: _, ...run } = firmwareRun(images, 'machine', extra);
  return run;
};
const exists = (file: Parameters<TempImages['paths']['vmFile']>[1]) => existsSync(images.paths.vmFile('machine', file));

test('it returns once QEMU runs and the firmware printed a line, and QEMU runs on by itself', async () => {
  const up = await detachVm({ ...options(), timeoutMs: 90_000 });
  assert.ok(processAlive(up.pid), 'QEMU runs');
  assert.is(Number(readFileSync(images.paths.vmFile('machine', 'pid'), 'utf8')), up.pid);
  assert.match(up.seen, /^QEMU runs and its serial console printed ".+"$/);
  const stat = readFileSync(`/proc/${up.pid}/stat`, 'utf8');
  assert.is(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]), up.pid, 'in a session of its own');
  const record = await readRunRecord(images.paths, 'machine');
  assert.equal([record?.kubenet, record?.detached, record?.console], [process.pid, true, 'headless']);
  assert.ok(exists('qmp.sock'), 'its socket stays');
  assert.not.ok(existsSync(images.paths.lock('vm-machine')), 'no lock: its pid file says it runs');
});

test('with until, it returns once the console matches', async () => {
  const up = await detachVm({ ...options(), until: banner, timeoutMs: 90_000 });
  assert.match(up.seen, banner);
  assert.ok(processAlive(up.pid));
});

test('a console that never matches: it gives up at the timeout, stops QEMU and leaves nothing', async () => {
  const error = await failsWith(
    () => detachVm({ ...options(), until: /never printed/, timeoutMs: 8000 }),
    ExitCode.vm,
    'gave up after 8 s waiting for its serial console to match /never printed/',
  );
  assert.match(error.details ?? '', 'Last serial lines');
  assert.equal((['pid', 'run.json', 'qmp.sock'] as const).filter(exists), []);
  assert.not.ok(existsSync(images.paths.lock('vm-machine')));
});

test('QEMU that rejects its command line fails with its own words, read back from its log', async () => {
  const error = await failsWith(
    () => detachVm({ ...options(['-bogus']), timeoutMs: 30_000 }),
    ExitCode.vm,
    'exited with code 1 while waiting for QEMU to run and its serial console to show a first sign of life',
  );
  assert.match(error.details ?? '', '-bogus: invalid option');
  assert.not.ok(exists('pid'));
});

test("a VM that QEMU stopped fails at once, in QEMU's words, and QEMU is gone", async () => {
  const undo = fakeQemuEnv({
    status: 'internal-error',
    stderr: 'KVM internal error. Suberror: 1\nemulation failure\n',
  });
  try {
    const run = {
      ...options(),
      command: {
        exe: process.execPath,
        args: [fakeQemuScript, '-qmp', `unix:${images.paths.vmFile('machine', 'qmp.sock')},server=on,wait=off`],
        sudo: false,
      },
    };
    const started = Date.now();
    const error = await failsWith(() => detachVm({ ...run, timeoutMs: 240_000 }), ExitCode.host, 'KVM internal error');
    assert.ok(Date.now() - started < 30_000, 'long before the timeout');
    assert.match(error.details ?? '', 'KVM internal error. Suberror: 1');
    assert.not.ok(exists('pid'));
  } finally {
    undo();
  }
});

test.run();
