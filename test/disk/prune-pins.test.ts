import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { prunePins } from '../../lib/disk/prune-pins.js';
import { which } from '../../lib/host/which.js';
import { makePaths } from '../../lib/paths.js';
import { kubenet } from '../helpers/cli.js';
import { mustRun, qemuImg } from '../helpers/qemu-img.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('prunePins');
const why = 'qemu-img is not installed (apt-get install qemu-utils)';
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-pins-');
});
test.after.each(() => dir.remove());

const pinNamed = (paths: ReturnType<typeof makePaths>, sha: string) => {
  const pin = paths.pinned(sha.repeat(64), 'jammy-server-cloudimg-arm64.img');
  mkdirSync(join(paths.root, 'base'), { recursive: true });
  mustRun(qemuImg(['create', '-f', 'qcow2', pin, '16M']), 'pin');
  return pin;
};

testWhen(test, which('qemu-img'), why, 'a pin an overlay reads is kept; one nothing reads goes', async () => {
  const paths = makePaths(join(dir.path, 'images'));
  const used = pinNamed(paths, 'a');
  const orphan = pinNamed(paths, 'b');
  mustRun(
    qemuImg(
      ['create', '-F', 'qcow2', '-b', `base/${used.split('/base/')[1]}`, '-f', 'qcow2', 'ubuntu0.img', '1G'],
      paths.root,
    ),
    'overlay',
  );
  assert.equal(await prunePins(paths), [orphan]);
  assert.ok(existsSync(used));
  assert.not.ok(existsSync(orphan));
});

testWhen(
  test,
  which('qemu-img'),
  why,
  'kubenet reset 03-cloud-image deletes the overlay and the pin only it read',
  () => {
    const paths = makePaths(join(dir.path, 'images'));
    const pin = pinNamed(paths, 'c');
    mustRun(
      qemuImg(
        ['create', '-F', 'qcow2', '-b', `base/${pin.split('/base/')[1]}`, '-f', 'qcow2', 'ubuntu0.img', '1G'],
        paths.root,
      ),
      'overlay',
    );
    const r = kubenet(['reset', '03-cloud-image', '--yes', '--images', paths.root]);
    assert.is(r.code, 0, r.stderr);
    assert.not.ok(existsSync(join(paths.root, 'ubuntu0.img')));
    assert.not.ok(existsSync(pin));
    assert.match(r.stdout, `removed ${pin}: no overlay reads it any more`);
  },
);

test.run();
