import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSeed } from '../../lib/cloud-init/write-seed.js';
import { ExitCode } from '../../lib/errors.js';
import { taskContext } from '../helpers/task-context.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('writeSeed');
let dir: ReturnType<typeof tempDir>;
let images: string;

test.before.each(() => {
  dir = tempDir('kubenet-seed-');
  images = join(dir.path, 'images');
  mkdirSync(images);
});
test.after.each(() => dir.remove());

const write = () => writeSeed(taskContext(images).ctx, { hostname: 'ubuntu0', sshPublicKey: 'ssh-ed25519 AAAA test' });

test('writes the cloud-init files and the seed, and a second run rewrites nothing', async () => {
  const seed = await write();
  assert.is(readFileSync(join(images, 'cloud-init/user-data'), 'utf8'), seed.userData);
  assert.is(readFileSync(join(images, 'cloud-init/meta-data'), 'utf8'), seed.metaData);
  const iso = statSync(join(images, 'cidata.iso'));
  await write();
  assert.is(statSync(join(images, 'cidata.iso')).ino, iso.ino);
  assert.equal(readdirSync(images).sort(), ['cidata.iso', 'cloud-init']);
});

for (const name of ['cidata.iso', 'cloud-init/user-data', 'cloud-init/meta-data']) {
  test(`a link planted at ${name} is refused by name, and what it points at is untouched`, async () => {
    const victim = plantVictim(dir.path);
    mkdirSync(dirname(join(images, name)), { recursive: true });
    symlinkSync(victim.path, join(images, name));
    await failsWith(write, ExitCode.host, `${join(images, name)} is a symbolic link`);
    assert.ok(victim.untouched());
  });
}

test('a cloud-init folder that is a link is refused: nothing is written behind it', async () => {
  const elsewhere = join(dir.path, 'elsewhere');
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(images, 'cloud-init'));
  await failsWith(write, ExitCode.host, `${join(images, 'cloud-init')} is a symbolic link`);
  assert.equal(readdirSync(elsewhere), []);
});

test.run();
