// `npm test` interrupted (Ctrl-C, a cancelled CI job, `kill`) ends everything its tests started —
// also a `kubenet run --detach` and its QEMU, which run in sessions of their own, out of reach of
// a signal to the test run's process group. A test file of its own here boots a real VM (the
// aarch64 UEFI firmware under TCG) in the background and waits; scripts/test.mjs is then signalled.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { which } from '../../lib/host/which.js';
import { binPath, repoRoot } from '../helpers/cli.js';
import { killProcessesMentioning, killQemuIn, processesMentioning, qemuProcessesIn } from '../helpers/processes.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../helpers/within.js';

const test = suite('npm test, interrupted');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-test-runner-');
});
test.after.each(() => {
  killQemuIn(join(dir.path, 'images'));
  killProcessesMentioning(dir.path);
  dir.remove();
});

// A test file that starts a VM in the background, as the background-VM tests do, and waits.
const fakeTest = (
  images: string,
) => `import { test } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'node_modules/uvu/dist/index.mjs')).href)};
import { spawn } from 'node:child_process';
test('a VM in the background, then a long wait', async () => {
  spawn(process.execPath, [${JSON.stringify(binPath)}, 'run', 'uefi', '--arch', 'aarch64', '--memory', '256M',
    '--detach', '--until', 'NEVER-PRINTED', '--timeout', '600', '--images', ${JSON.stringify(images)}],
    { stdio: 'ignore', env: { ...process.env, CI: 'true', KUBENET_CACHE: 'off' } });
  setInterval(() => {}, 1000);
  await new Promise(() => {});
});
test.run();
`;

const ready = which('qemu-system-aarch64');
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  testWhen(
    test,
    ready,
    'qemu-system-aarch64 is not installed (apt-get install qemu-system-arm)',
    `${signal} to scripts/test.mjs ends uvu, the kubenet it ran and the QEMU that kubenet detached`,
    async () => {
      const images = join(dir.path, 'images');
      writeFileSync(join(dir.path, 'fake.test.js'), fakeTest(images));
      const runner = spawn(process.execPath, ['scripts/test.mjs', dir.path, 'fake\\.test\\.js$'], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      runner.stdout.on('data', (d) => (output += d));
      runner.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
      await until(() => qemuProcessesIn(images).length === 1, 'the detached QEMU to start', 120_000);
      const qemu = qemuProcessesIn(images)[0]!;
      runner.kill(signal); // the runner alone: the tests and the VM are not in its process group's reach
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), 15_000))),
      ]);
      clearTimeout(timer);
      assert.is(code, 130, `${output}`);
      assert.match(output, `${signal}: ending the tests and every process they started`);
      assert.equal(qemuProcessesIn(images), [], `QEMU ${qemu} is still running`);
      assert.equal(processesMentioning(dir.path), [], 'uvu and kubenet are gone');
    },
  );
}

test.run();
