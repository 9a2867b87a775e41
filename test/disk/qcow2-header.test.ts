// The in-process header reader against qemu-img's own reading of the same images.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readQcow2Backing } from '../../lib/disk/qcow2-header.js';
import { which } from '../../lib/host/which.js';
import { mustRun, qemuImg, qemuInfo } from '../helpers/qemu-img.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('readQcow2Backing');
const hasQemuImg = which('qemu-img');
let dir: ReturnType<typeof tempDir>;

test.before(() => {
  dir = tempDir('kubenet-qcow2-');
  writeFileSync(join(dir.path, 'raw base.img'), Buffer.alloc(1 << 20));
});
test.after(() => dir?.remove());

// Each: how the image is made (qemu-img create argv, run in the temp folder).
const made: [string, string[]][] = [
  ['a disk of its own (step 8)', ['create', '-f', 'qcow2', 'disk.img', '1G']],
  [
    "the guide's overlay, backing format recorded",
    ['create', '-F', 'raw', '-b', 'raw base.img', '-f', 'qcow2', 'overlay.img', '128G'],
  ],
  [
    'a version 2 image (compat=0.10)',
    ['create', '-o', 'compat=0.10', '-F', 'raw', '-b', 'raw base.img', '-f', 'qcow2', 'v2.img', '1G'],
  ],
  [
    'an absolute backing name',
    [
      'create',
      '-u',
      '-F',
      'qcow2',
      '-b',
      '/srv/images/jammy-server-cloudimg-amd64.img',
      '-f',
      'qcow2',
      'abs.img',
      '1G',
    ],
  ],
  [
    'a name with folders, spaces and non-ASCII',
    ['create', '-u', '-F', 'qcow2', '-b', '../base/ünï code.img', '-f', 'qcow2', 'deep.img', '1G'],
  ],
  ['an overlay of an overlay', ['create', '-F', 'qcow2', '-b', 'overlay.img', '-f', 'qcow2', 'chain.img', '128G']],
];

for (const [what, args] of made) {
  testWhen(
    test,
    hasQemuImg,
    'qemu-img is not installed (apt-get install qemu-utils)',
    `reads what qemu-img reads: ${what}`,
    async () => {
      const file = args[args.indexOf('-f') + 2]!;
      mustRun(qemuImg(args, dir.path), `qemu-img ${args.join(' ')}`);
      const info = qemuInfo(join(dir.path, file));
      const header = await readQcow2Backing(join(dir.path, file));
      assert.ok(header, 'a qcow2 image');
      assert.is(header.backing, info['backing-filename']);
      assert.is(header.backingFormat, info['backing-filename-format']);
    },
  );
}

test('anything that is not a qcow2 image has no header', async () => {
  const files = {
    'raw.img': Buffer.alloc(1 << 16),
    'random.bin': randomBytes(8192),
    'short.bin': Buffer.from('QFI'),
    empty: Buffer.alloc(0),
  };
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(join(dir.path, name), data);
    assert.is(await readQcow2Backing(join(dir.path, name)), undefined, name);
  }
});

test.run();
