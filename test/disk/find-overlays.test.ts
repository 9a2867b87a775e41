import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { linkSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { overlaysBackedBy } from '../../lib/disk/find-overlays.js';
import { which } from '../../lib/host/which.js';
import { mustRun, qemuImg } from '../helpers/qemu-img.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('overlaysBackedBy');
const hasQemuImg = which('qemu-img');
const why = 'qemu-img is not installed (apt-get install qemu-utils)';
let dir: ReturnType<typeof tempDir>;
let images: string;
const image = 'jammy-server-cloudimg-amd64.img';

test.before.each(() => {
  dir = tempDir('kubenet-find-');
  images = join(dir.path, 'images');
  mkdirSync(images);
});
test.after.each(() => dir.remove());

// `qemu-img create -u` records the backing name as given, relative to the overlay's folder.
function overlay(path: string, backing: string): void {
  mkdirSync(join(images, path, '..'), { recursive: true });
  mustRun(
    qemuImg(['create', '-u', '-F', 'qcow2', '-b', backing, '-f', 'qcow2', join(images, path), '1G']),
    `overlay ${path}`,
  );
}
const found = async (file = join(images, image)) =>
  (await overlaysBackedBy(images, file)).map((o) => relative(images, o.path)).sort();

testWhen(test, hasQemuImg, why, 'finds every overlay that reaches the file, however it names it', async () => {
  mustRun(qemuImg(['create', '-f', 'qcow2', join(images, image), '1G']), 'base');
  symlinkSync(image, join(images, 'cloud.img'));
  overlay('ubuntu0.img', image); // the guide's step 9
  overlay('mine/vm1.img', `../${image}`); // from a subfolder
  overlay('abs.img', join(images, image)); // an absolute name
  overlay('via-link.img', 'cloud.img'); // through a link to the file
  overlay('file-prefix.img', `file:${image}`);
  overlay('other.img', 'something-else.img'); // another backing file: not reported
  overlay('chain.img', 'ubuntu0.img'); // backed by an overlay, not by the file
  symlinkSync('mine', join(images, 'also-mine')); // a second way to the same overlay: reported once
  assert.equal(await found(), ['abs.img', 'file-prefix.img', 'mine/vm1.img', 'ubuntu0.img', 'via-link.img']);
});

testWhen(
  test,
  hasQemuImg,
  why,
  'an overlay on a hard link of the file (a pin) does not use the name being replaced',
  async () => {
    mustRun(qemuImg(['create', '-f', 'qcow2', join(images, image), '1G']), 'base');
    mkdirSync(join(images, 'base'));
    linkSync(join(images, image), join(images, 'base', `0123456789abcdef-${image}`));
    overlay('ubuntu0.img', `base/0123456789abcdef-${image}`);
    assert.equal(await found(), []);
  },
);

testWhen(
  test,
  hasQemuImg,
  why,
  'an overlay reached through a link in images/, to it or to its folder, is reported as one',
  async () => {
    mustRun(qemuImg(['create', '-f', 'qcow2', join(images, image), '1G']), 'base');
    for (const folder of ['outside-a', 'outside-b']) {
      mkdirSync(join(dir.path, folder));
      mustRun(
        qemuImg([
          'create',
          '-u',
          '-F',
          'qcow2',
          '-b',
          join(images, image),
          '-f',
          'qcow2',
          join(dir.path, folder, 'mine.img'),
          '1G',
        ]),
        folder,
      );
    }
    symlinkSync(join(dir.path, 'outside-a', 'mine.img'), join(images, 'mine.img'));
    symlinkSync(join(dir.path, 'outside-b'), join(images, 'linked-folder'));
    symlinkSync('.', join(images, 'loop')); // a loop of links ends at the depth bound
    const overlays = await overlaysBackedBy(images, join(images, image));
    const reported = overlays.map((o) => [relative(images, o.path).replace(/^(loop\/)+/, ''), o.viaLink]).sort();
    assert.equal(reported, [
      ['linked-folder/mine.img', true],
      ['mine.img', true],
    ]);
  },
);

testWhen(test, hasQemuImg, why, "kubenet's bookkeeping and temp folders are not searched", async () => {
  mustRun(qemuImg(['create', '-f', 'qcow2', join(images, image), '1G']), 'base');
  overlay('.kubenet/x.img', `../${image}`);
  overlay('.ubuntu0.img.123-0123abcd.tmp/ubuntu0.img', `../${image}`);
  assert.equal(await found(), []);
});

test.run();
