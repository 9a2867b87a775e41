// An --arch that does not match an existing disk is refused before any work: before 00-qemu runs,
// before a byte is downloaded.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { kubenet } from '../helpers/cli.js';
import { mustRun, qemuImg } from '../helpers/qemu-img.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('preflight: disks against --arch');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-preflight-');
});
test.after.each(() => dir.remove());

testWhen(
  test,
  which('qemu-img'),
  'qemu-img is not installed (apt-get install qemu-utils)',
  'an amd64 overlay with --arch aarch64: a usage error, nothing run, nothing fetched',
  () => {
    const images = join(dir.path, 'images');
    mkdirSync(images);
    mustRun(
      qemuImg(
        ['create', '-u', '-F', 'qcow2', '-b', 'jammy-server-cloudimg-amd64.img', '-f', 'qcow2', 'ubuntu0.img', '1G'],
        images,
      ),
      'overlay',
    );
    // An unreachable mirror: a download attempt would fail with exit 20, not 2.
    const r = kubenet([
      'run',
      'cloud-init',
      '--arch',
      'aarch64',
      '--images',
      images,
      '--mirror',
      'http://127.0.0.1:9/',
    ]);
    assert.is(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      'ubuntu0.img was made for x86_64 guests (backed by jammy-server-cloudimg-amd64.img), not aarch64',
    );
    assert.match(r.stderr, 'pass --arch x86_64, or start over with kubenet reset 03-cloud-image');
    assert.not.ok(existsSync(join(images, 'qemu.json')), '00-qemu did not run');
  },
);

test.run();
