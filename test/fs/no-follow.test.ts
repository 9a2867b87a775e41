import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { constants, existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../lib/errors.js';
import { openOwn, ownDir, ownFile, readOwn } from '../../lib/fs/no-follow.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim, type Victim } from '../helpers/victim.js';

const test = suite("no-follow: only kubenet's own files and folders");
let dir: ReturnType<typeof tempDir>;
let images: string;
let victim: Victim;

test.before.each(() => {
  dir = tempDir('kubenet-nofollow-');
  images = join(dir.path, 'images');
  mkdirSync(images);
  victim = plantVictim(dir.path);
});
test.after.each(() => dir.remove());

const refused = (action: () => Promise<unknown>, path: string, found: string) =>
  failsWith(action, ExitCode.host, `${path} is ${found}`);

test('ownFile: nothing there is undefined, a plain file is its stats', async () => {
  assert.is(await ownFile(join(images, 'none')), undefined);
  writeFileSync(join(images, 'mine'), 'x');
  assert.is((await ownFile(join(images, 'mine')))?.size, 1);
});

test('ownFile refuses a link, even a dangling one, and a folder', async () => {
  symlinkSync(victim.path, join(images, 'link'));
  symlinkSync(join(dir.path, 'nowhere'), join(images, 'dangling'));
  mkdirSync(join(images, 'folder'));
  await refused(() => ownFile(join(images, 'link')), join(images, 'link'), 'a symbolic link');
  await refused(() => ownFile(join(images, 'dangling')), join(images, 'dangling'), 'a symbolic link');
  await refused(() => ownFile(join(images, 'folder')), join(images, 'folder'), 'a folder');
});

test('openOwn with O_TRUNC refuses a link and leaves its target alone', async () => {
  const link = join(images, 'qemu.stderr');
  symlinkSync(victim.path, link);
  await refused(
    () => openOwn(link, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC),
    link,
    'a symbolic link',
  );
  assert.ok(victim.untouched());
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link itself is left as it was');
});

test('openOwn creates and writes a file of its own', async () => {
  const handle = await openOwn(join(images, 'log'), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC);
  await handle.writeFile('hello');
  await handle.close();
  assert.is((await readOwn(join(images, 'log')))?.toString(), 'hello');
});

test('readOwn refuses to read through a link', async () => {
  symlinkSync(victim.path, join(images, 'user-data'));
  await refused(() => readOwn(join(images, 'user-data')), join(images, 'user-data'), 'a symbolic link');
});

test('ownDir makes the folders below images/, which may itself be a link', async () => {
  const linkedRoot = join(dir.path, 'images-link');
  symlinkSync(images, linkedRoot);
  await ownDir(linkedRoot, join(linkedRoot, 'vm', 'ubuntu0'));
  assert.ok(lstatSync(join(images, 'vm', 'ubuntu0')).isDirectory());
  await ownDir(linkedRoot, join(linkedRoot, 'vm', 'ubuntu0')); // again: already there
});

test('ownDir refuses a link where a folder of its own belongs, and creates nothing behind it', async () => {
  const elsewhere = join(dir.path, 'elsewhere');
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(images, 'vm'));
  await refused(() => ownDir(images, join(images, 'vm', 'ubuntu0')), join(images, 'vm'), 'a symbolic link');
  assert.equal(readdirSync(elsewhere), []);
  writeFileSync(join(images, 'base'), 'a file');
  await refused(() => ownDir(images, join(images, 'base')), join(images, 'base'), 'a file');
  assert.not.ok(existsSync(join(elsewhere, 'ubuntu0')));
});

test.run();
