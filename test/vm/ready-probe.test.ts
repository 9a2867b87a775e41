// The readiness probe (--until ssh and the like), as a readiness: polled while the VM runs; runVm
// shuts the VM down when it answers, as when `until` matches, and a timeout says what it waited
// for and why the last check failed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { describeProbe, probeReadiness, type ReadyProbe } from '../../lib/vm/ready-probe.js';
import type { StartedVm } from '../../lib/vm/readiness.js';
import { runVm } from '../../lib/vm/run-vm.js';
import { processAlive } from '../../lib/process/pid-state.js';
import { readPid } from '../../lib/vm/process-probe.js';
import { bannerShown, eventually, firmwareRun, killLeftover, tempImages, type TempImages } from '../helpers/vm-qemu.js';

const test = suite('readiness probe');
let images: TempImages | undefined;
test.after.each(async () => {
  if (images) {
    await killLeftover(images.paths, 'machine');
    await images.cleanup();
  }
  images = undefined;
});

const started = (signal: AbortSignal): StartedVm => ({
  pid: 1,
  running: Promise.resolve(),
  firstOutput: Promise.resolve(''),
  signal,
});

test('as a readiness it asks until the probe answers, then resolves once', async () => {
  let checks = 0;
  const ended = new AbortController();
  const seen = await probeReadiness({ what: 'x', intervalMs: 5, check: async () => ++checks >= 3 }).wait(
    started(ended.signal),
  );
  ended.abort();
  assert.is(seen, 'x');
  assert.is(checks, 3);
});

test('a check that throws counts as not ready; the end of the run ends the polling', async () => {
  let checks = 0;
  const ended = new AbortController();
  let ready = false;
  void probeReadiness({
    what: 'x',
    intervalMs: 5,
    check: async () => {
      checks++;
      throw new Error('boom');
    },
  })
    .wait(started(ended.signal))
    .then(() => (ready = true));
  assert.ok(await eventually(() => checks >= 2, 5_000));
  ended.abort();
  const seen = checks;
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(checks <= seen + 1, 'no polling after the run ended');
  assert.not.ok(ready);
});

test('describeProbe adds why the last attempt failed', () => {
  const probe: ReadyProbe = {
    what: 'sshd to accept `kubenet ssh -- true`',
    check: async () => false,
    lastFailure: () => 'Permission denied (publickey).',
  };
  assert.is(
    describeProbe(probe),
    'sshd to accept `kubenet ssh -- true` (last attempt: Permission denied (publickey).)',
  );
  assert.is(describeProbe({ ...probe, lastFailure: () => undefined }), probe.what);
});

test('runVm shuts the VM down once the probe answers, and reports what it waited for', async () => {
  images = await tempImages();
  const { paths } = images;
  // "Ready" once the firmware has printed its banner: a probe that reads the VM from outside.
  const probe: ReadyProbe = {
    what: 'the firmware banner',
    intervalMs: 100,
    check: () => bannerShown(paths, 'machine'),
  };
  const notices: string[] = [];
  let pid: number | undefined;
  const result = await runVm({
    ...firmwareRun(images, 'machine'),
    ready: probeReadiness(probe),
    timeoutMs: 90_000,
    notice: (n) => notices.push(n),
    onLine: () => void readPid(images!.paths.vmFile('machine', 'pid')).then((p) => (pid ??= p)),
  });
  assert.is(result.matched, 'the firmware banner');
  assert.ok(result.matchedAfterMs !== undefined);
  assert.ok(notices.includes('waiting for the firmware banner'), notices.join('\n'));
  assert.ok(pid !== undefined && !processAlive(pid), 'QEMU is gone');
});

test('a probe that never answers times out with what it waited for and why (bound: 8 s)', async () => {
  images = await tempImages();
  const probe: ReadyProbe = {
    what: 'sshd to accept `kubenet ssh -- true`',
    intervalMs: 100,
    check: async () => false,
    lastFailure: () => 'no sshd answered on 127.0.0.1:2222',
  };
  try {
    await runVm({ ...firmwareRun(images, 'machine'), ready: probeReadiness(probe), timeoutMs: 8_000 });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, KubenetError);
    const e = error as KubenetError;
    assert.is(e.code, ExitCode.vm);
    assert.match(
      e.message,
      'gave up after 8 s waiting for sshd to accept `kubenet ssh ' +
        '-- true` (last attempt: no sshd answered on 127.0.0.1:2222)',
    );
  }
});

test('QEMU ending before the probe answered is a failure, not a success', async () => {
  images = await tempImages();
  const probe: ReadyProbe = { what: 'the guest to be ready', intervalMs: 100, check: async () => false };
  const pending = runVm({ ...firmwareRun(images, 'machine'), ready: probeReadiness(probe), timeoutMs: 60_000 });
  const { paths } = images;
  const pidFile = paths.vmFile('machine', 'pid');
  // Ended once the firmware runs, as a guest that powers off ends it: a signal in QEMU's first
  // milliseconds tests QEMU's start-up, not the probe.
  assert.ok(await eventually(() => bannerShown(paths, 'machine'), 30_000), 'the firmware printed its banner');
  process.kill((await readPid(pidFile))!, 'SIGTERM'); // QEMU exits cleanly, as after a guest's poweroff
  try {
    await pending;
    assert.unreachable();
  } catch (error) {
    assert.instance(error, KubenetError);
    const { message } = error as KubenetError;
    assert.match(message, 'while waiting for the guest to be ready', `the error said: ${message}`);
  }
});

test.run();
