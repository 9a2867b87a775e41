import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lstatSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createQcow2Once } from '../../lib/disk/create-qcow2.js';
import { ExitCode } from '../../lib/errors.js';
import { which } from '../../lib/host/which.js';
import { mustRun, qemuImg, qemuInfo } from '../helpers/qemu-img.js';
import { testWhen } from '../helpers/skip.js';
import { taskContext } from '../helpers/task-context.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim, type Victim } from '../helpers/victim.js';

const test = suite('createQcow2Once');
const hasQemuImg = which('qemu-img');
const why = 'qemu-img is not installed (apt-get install qemu-utils)';
const image = 'jammy-server-cloudimg-arm64.img';
const step9 = { exe: 'qemu-img', args: ['create', '-F', 'qcow2', '-b', image, '-f', 'qcow2', 'ubuntu0.img', '128G'] };
const step8 = { exe: 'qemu-img', args: ['create', '-f', 'qcow2', 'ubuntu.img', '128G'] };
let dir: ReturnType<typeof tempDir>;
let images: string;
let victim: Victim;

test.before.each(() => {
  dir = tempDir('kubenet-create-');
  images = join(dir.path, 'images');
  mkdirSync(images);
  victim = plantVictim(dir.path);
  if (hasQemuImg) mustRun(qemuImg(['create', '-f', 'qcow2', join(images, image), '32M']), 'base');
});
test.after.each(() => dir.remove());

testWhen(
  test,
  hasQemuImg,
  why,
  "vmsetup.sh's overlay in a VM's folder, backed by ../image as the guide writes it, made in a folder kubenet makes",
  async () => {
    const { ctx } = taskContext(images);
    const command = {
      exe: 'qemu-img',
      args: ['create', '-F', 'qcow2', '-b', `../${image}`, '-f', 'qcow2', 'gateway/disk.img', '20G'],
    };
    assert.is(await createQcow2Once(ctx, 'gateway/disk.img', command), 'created');
    const info = qemuInfo(join(images, 'gateway', 'disk.img'));
    assert.is(info['backing-filename'], `../${image}`);
    assert.is(resolve(String(info['full-backing-filename'])), join(images, image));
    assert.equal(readdirSync(join(images, 'gateway')), ['disk.img'], 'no temp file or folder left');
    assert.is(await createQcow2Once(ctx, 'gateway/disk.img', command), 'kept');
    const outside = {
      exe: 'qemu-img',
      args: ['create', '-F', 'qcow2', '-b', `../../${image}`, '-f', 'qcow2', 'worker0/disk.img', '20G'],
    };
    const refused = await createQcow2Once(ctx, 'worker0/disk.img', outside).then(
      () => undefined,
      (error: Error) => error.message,
    );
    assert.match(refused ?? 'made it', 'must name a file in images/');
  },
);

testWhen(
  test,
  hasQemuImg,
  why,
  "makes the guide's overlay, backed by the image's name as the guide writes it",
  async () => {
    const { ctx } = taskContext(images);
    assert.is(await createQcow2Once(ctx, 'ubuntu0.img', step9), 'created');
    const info = qemuInfo(join(images, 'ubuntu0.img'));
    assert.is(info['backing-filename'], image);
    assert.is(info['full-backing-filename'], join(images, image));
    assert.equal(readdirSync(images).sort(), [image, 'ubuntu0.img'], 'no temp file or folder left');
  },
);

testWhen(test, hasQemuImg, why, 'an existing disk is kept, never recreated', async () => {
  const { ctx } = taskContext(images);
  await createQcow2Once(ctx, 'ubuntu.img', step8);
  const before = statSync(join(images, 'ubuntu.img'));
  assert.is(await createQcow2Once(ctx, 'ubuntu.img', step8), 'kept');
  assert.is(statSync(join(images, 'ubuntu.img')).ino, before.ino);
  assert.is(statSync(join(images, 'ubuntu.img')).mtimeMs, before.mtimeMs);
});

testWhen(test, hasQemuImg, why, 'links planted at the temp names an earlier kubenet used receive nothing', async () => {
  // kubenet once made `.ubuntu0.img.<pid>.tmp`, a name anyone could plant a link at in advance.
  const planted = join(images, `.ubuntu0.img.${process.pid}.tmp`);
  symlinkSync(victim.path, planted);
  const { ctx } = taskContext(images);
  assert.is(await createQcow2Once(ctx, 'ubuntu0.img', step9), 'created');
  assert.ok(victim.untouched(), 'the victim outside images/ is unchanged');
  assert.ok(lstatSync(planted).isSymbolicLink());
  assert.is(qemuImg(['check', join(images, 'ubuntu0.img')]).code, 0);
});

for (const [what, target] of [
  ['a link to a file outside images/', () => victim.path],
  ['a dangling link', () => join(dir.path, 'not-yet')],
] as const) {
  testWhen(
    test,
    hasQemuImg,
    why,
    `a disk name that is ${what} is refused by name, and nothing is written through it`,
    async () => {
      symlinkSync(target(), join(images, 'ubuntu0.img'));
      await failsWith(
        () => createQcow2Once(taskContext(images).ctx, 'ubuntu0.img', step9),
        ExitCode.host,
        `${join(images, 'ubuntu0.img')} is a symbolic link`,
      );
      assert.ok(victim.untouched());
      assert.equal(readdirSync(dir.path).sort(), ['images', 'victim.txt'], 'the dangling link made nothing');
    },
  );
}

test.run();
