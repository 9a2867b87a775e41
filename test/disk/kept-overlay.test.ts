import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkKeptOverlay } from '../../lib/disk/kept-overlay.js';
import { ExitCode } from '../../lib/errors.js';
import { which } from '../../lib/host/which.js';
import { makePaths, type Paths } from '../../lib/paths.js';
import { mustRun, qemuImg } from '../helpers/qemu-img.js';
import { testWhen } from '../helpers/skip.js';
import { taskContext } from '../helpers/task-context.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('checkKeptOverlay');
const hasQemuImg = which('qemu-img');
const why = 'qemu-img is not installed (apt-get install qemu-utils)';
const image = 'jammy-server-cloudimg-arm64.img';
const cloudImg = {
  file: (arch: 'aarch64' | 'x86_64') => `jammy-server-cloudimg-${arch === 'aarch64' ? 'arm64' : 'amd64'}.img`,
};
const known = () => ({ arch: 'aarch64' as const, files: [cloudImg], task: '03-cloud-image' });
let dir: ReturnType<typeof tempDir>;
let paths: Paths;

test.before.each(() => {
  dir = tempDir('kubenet-overlay-');
  paths = makePaths(join(dir.path, 'images'));
  mkdirSync(paths.root);
  if (hasQemuImg) mustRun(qemuImg(['create', '-f', 'qcow2', join(paths.root, image), '32M']), 'base');
});
test.after.each(() => dir.remove());

const overlayOn = (backing: string) =>
  mustRun(
    qemuImg(['create', '-u', '-F', 'qcow2', '-b', backing, '-f', 'qcow2', 'ubuntu0.img', '1G'], paths.root),
    'overlay',
  );

const fails = (code: number, message: string) =>
  failsWith(() => checkKeptOverlay(taskContext(paths.root).ctx, 'ubuntu0.img', known()), code, message);

testWhen(test, hasQemuImg, why, 'an overlay on the current image is kept, and said so with --verbose', async () => {
  overlayOn(image);
  const { ctx, lines } = taskContext(paths.root, { verbose: true });
  await checkKeptOverlay(ctx, 'ubuntu0.img', known());
  assert.match(lines.join('\n'), 'ubuntu0.img exists: kept');
});

testWhen(test, hasQemuImg, why, 'an overlay on a pinned image keeps booting it, and says how to move on', async () => {
  mkdirSync(join(paths.root, 'base'));
  mustRun(qemuImg(['create', '-f', 'qcow2', join(paths.root, 'base', `0123456789abcdef-${image}`), '32M']), 'pin');
  overlayOn(`base/0123456789abcdef-${image}`);
  const { ctx, lines } = taskContext(paths.root);
  await checkKeptOverlay(ctx, 'ubuntu0.img', known());
  assert.match(
    lines.join('\n'),
    `keeps booting the image it was made from (base/0123456789abcdef-${image}); ` +
      `kubenet reset 03-cloud-image moves the VM to the current ${image}`,
  );
});

testWhen(
  test,
  hasQemuImg,
  why,
  "an overlay on the other architecture's cloud image is a usage error, told by its own header",
  async () => {
    overlayOn('jammy-server-cloudimg-amd64.img');
    await fails(
      ExitCode.usage,
      'ubuntu0.img was made for x86_64 guests (backed by jammy-server-cloudimg-amd64.img), not aarch64',
    );
  },
);

testWhen(test, hasQemuImg, why, 'an overlay whose backing file is gone fails before any boot, naming it', async () => {
  overlayOn('base/0000000000000000-gone.img');
  await fails(ExitCode.failure, 'ubuntu0.img is backed by base/0000000000000000-gone.img, which is missing');
});

test.run();
