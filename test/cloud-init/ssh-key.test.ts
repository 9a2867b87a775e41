import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSshKey } from '../../lib/cloud-init/ssh-key.js';
import { ExitCode } from '../../lib/errors.js';
import { which } from '../../lib/host/which.js';
import { testWhen } from '../helpers/skip.js';
import { taskContext } from '../helpers/task-context.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('ensureSshKey');
const hasKeygen = which('ssh-keygen');
const why = 'ssh-keygen is not installed (apt-get install openssh-client)';
let dir: ReturnType<typeof tempDir>;
let images: string;
let home: string;

test.before.each(() => {
  dir = tempDir('kubenet-sshkey-');
  images = join(dir.path, 'images');
  home = join(dir.path, 'home'); // no ~/.ssh key: kubenet generates one
  mkdirSync(images);
  mkdirSync(home);
});
test.after.each(() => dir.remove());

const ensure = () => ensureSshKey(taskContext(images).ctx, home);

const refused = (message: string) => failsWith(ensure, ExitCode.host, message);

testWhen(
  test,
  hasKeygen,
  why,
  'generates a pair once under images/ssh/, private to the user, and reuses it',
  async () => {
    const key = await ensure();
    assert.ok(key?.generated);
    assert.is(key!.privateKey, join(images, 'ssh', 'id_ed25519'));
    assert.match(key!.publicKey, /^ssh-ed25519 \S+ kubenet$/);
    assert.is(statSync(join(images, 'ssh')).mode & 0o777, 0o700);
    assert.is(statSync(key!.privateKey).mode & 0o777, 0o600);
    const again = await ensure();
    assert.is(again!.publicKey, key!.publicKey);
    assert.equal(readdirSync(images), ['ssh'], 'no temp folder left');
  },
);

testWhen(
  test,
  hasKeygen,
  why,
  'a link planted at a half of the pair is refused by name, and what it points at is untouched',
  async () => {
    const victim = plantVictim(dir.path);
    mkdirSync(join(images, 'ssh'));
    symlinkSync(victim.path, join(images, 'ssh', 'id_ed25519.pub'));
    await refused(`${join(images, 'ssh', 'id_ed25519.pub')} is a symbolic link`);
    assert.ok(victim.untouched());
  },
);

testWhen(test, hasKeygen, why, 'an ssh folder that is a link is refused: no key is written behind it', async () => {
  const elsewhere = join(dir.path, 'elsewhere');
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(images, 'ssh'));
  await refused(`${join(images, 'ssh')} is a symbolic link`);
  assert.equal(readdirSync(elsewhere), []);
});

testWhen(test, hasKeygen, why, 'half a pair is an error that says how to start over', async () => {
  mkdirSync(join(images, 'ssh'));
  writeFileSync(join(images, 'ssh', 'id_ed25519'), 'a private key without its .pub', { mode: 0o600 });
  await refused('holds half a key pair');
  assert.is(readFileSync(join(images, 'ssh', 'id_ed25519'), 'utf8'), 'a private key without its .pub');
});

test.run();
