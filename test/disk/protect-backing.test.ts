import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { protectBackingFile } from '../../lib/disk/protect-backing.js';
import { ExitCode } from '../../lib/errors.js';
import { which } from '../../lib/host/which.js';
import { makePaths, type Paths } from '../../lib/paths.js';
import { mustRun, qemuImg, qemuInfo, qemuIo, sha256Of } from '../helpers/qemu-img.js';
import { testWhen } from '../helpers/skip.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('protectBackingFile');
const tools = which('qemu-img') && which('qemu-io');
const why = 'qemu-img / qemu-io are not installed (apt-get install qemu-utils)';
const image = 'jammy-server-cloudimg-amd64.img';
const sha = 'ab'.repeat(32);
let dir: ReturnType<typeof tempDir>;
let paths: Paths;
let held: ChildProcess | undefined;

test.before.each(() => {
  dir = tempDir('kubenet-protect-');
  paths = makePaths(join(dir.path, 'images'));
  mkdirSync(paths.root);
  if (!tools) return;
  mustRun(qemuImg(['create', '-f', 'qcow2', join(paths.root, image), '64M']), 'base');
  mustRun(qemuIo(join(paths.root, image), 'write -P 0x11 0 1M'), 'base data');
});
test.after.each(() => {
  held?.kill('SIGKILL');
  held = undefined;
  dir.remove();
});

const file = () => join(paths.root, image);
const guideOverlay = (name = 'ubuntu0.img') =>
  mustRun(qemuImg(['create', '-F', 'qcow2', '-b', image, '-f', 'qcow2', name, '1G'], paths.root), 'overlay');

async function refused(code: number, message: string): Promise<void> {
  const error = await failsWith(() => protectBackingFile(paths, file(), { sha256: sha }), code, message);
  assert.match(error.message, `${file()} was not replaced`);
}

testWhen(test, tools, why, 'a file no overlay uses is left as it is, and nothing is pinned', async () => {
  await protectBackingFile(paths, file(), { sha256: sha });
  assert.not.ok(existsSync(join(paths.root, 'base')));
});

testWhen(
  test,
  tools,
  why,
  "an overlay made with the guide's command moves onto a pin of the file, reading the same",
  async () => {
    guideOverlay();
    mustRun(qemuIo(join(paths.root, 'ubuntu0.img'), 'write -P 0xcd 16M 1M'), 'guest data');
    const logs: string[] = [];
    await protectBackingFile(paths, file(), { sha256: sha }, (line) => logs.push(line));
    const pin = paths.pinned(sha, image);
    assert.is(qemuInfo(join(paths.root, 'ubuntu0.img'))['backing-filename'], `base/${sha.slice(0, 16)}-${image}`);
    assert.is(sha256Of(pin), sha256Of(file()), 'the pin is the same file');
    assert.ok(qemuIo(join(paths.root, 'ubuntu0.img'), 'read -P 0x11 0 1M').ok);
    assert.ok(qemuIo(join(paths.root, 'ubuntu0.img'), 'read -P 0xcd 16M 1M').ok);
    assert.match(
      logs.join('\n'),
      `ubuntu0.img was backed by ${image}: moved onto its kept copy base/${sha.slice(0, 16)}-${image}`,
    );
    await protectBackingFile(paths, file(), { sha256: sha }); // again: nothing left to move
  },
);

testWhen(test, tools, why, 'an overlay in a subfolder gets a backing name relative to its own folder', async () => {
  mkdirSync(join(paths.root, 'mine'));
  mustRun(
    qemuImg(['create', '-F', 'qcow2', '-b', `../${image}`, '-f', 'qcow2', 'mine/vm1.img', '1G'], paths.root),
    'overlay',
  );
  await protectBackingFile(paths, file(), { sha256: sha });
  assert.is(qemuInfo(join(paths.root, 'mine/vm1.img'))['backing-filename'], `../base/${sha.slice(0, 16)}-${image}`);
  assert.is(qemuImg(['check', join(paths.root, 'mine/vm1.img')]).code, 0);
});

testWhen(
  test,
  tools,
  why,
  'an overlay a running VM holds is not changed, and the file is not to be replaced',
  async () => {
    guideOverlay();
    // qemu-io keeps the image open, with QEMU's write lock, until its stdin closes.
    held = spawn('qemu-io', [join(paths.root, 'ubuntu0.img')], { stdio: ['pipe', 'ignore', 'ignore'] });
    await until(() => qemuImg(['info', join(paths.root, 'ubuntu0.img')]).code !== 0);
    await refused(ExitCode.locked, 'it is in use (a running VM holds it)');
    assert.is(qemuInfo(join(paths.root, 'ubuntu0.img'))['backing-filename'], image, 'the overlay is unchanged');
  },
);

testWhen(
  test,
  tools,
  why,
  'an overlay behind a link in images/ is not written through: the file is not to be replaced',
  async () => {
    const outside = join(dir.path, 'outside');
    mkdirSync(outside);
    mustRun(
      qemuImg(['create', '-u', '-F', 'qcow2', '-b', file(), '-f', 'qcow2', join(outside, 'mine.img'), '1G']),
      'overlay',
    );
    symlinkSync(join(outside, 'mine.img'), join(paths.root, 'mine.img'));
    const before = sha256Of(join(outside, 'mine.img'));
    await refused(
      ExitCode.host,
      `${join(paths.root, 'mine.img')}, reached through a symbolic link, is an overlay backed by`,
    );
    assert.is(sha256Of(join(outside, 'mine.img')), before);
    assert.equal(readdirSync(paths.root).sort(), [image, 'mine.img']);
  },
);

// Issue 19 §1: a base changed under its overlays was pinned under the digest it was verified as
// and the overlay told it "keeps reading what it was made on" — false.
const madeOn = 'a'.repeat(64); // what kubenet verified the file as; its bytes now hash to `sha`

testWhen(
  test,
  tools,
  why,
  'a base modified outside kubenet is never pinned as the original: pinned under its own digest, and said so',
  async () => {
    guideOverlay();
    const logs: string[] = [];
    await protectBackingFile(paths, file(), { sha256: sha, madeOn, replacement: 'b'.repeat(64) }, (line) =>
      logs.push(line),
    );
    assert.not.ok(existsSync(paths.pinned(madeOn, image)), 'no pin under the digest it was verified as');
    assert.is(qemuInfo(join(paths.root, 'ubuntu0.img'))['backing-filename'], `base/${sha.slice(0, 16)}-${image}`);
    assert.equal(logs, [
      `ubuntu0.img is backed by ${image}, which was modified outside kubenet after it was verified (sha256 ` +
        `now ${sha.slice(0, 16)}…, made on ${madeOn.slice(0, 16)}…): it keeps reading the modified file, kept ` +
        `as base/${sha.slice(0, 16)}-${image} — not the image it was made on; its data may be inconsistent`,
    ]);
  },
);

testWhen(
  test,
  tools,
  why,
  'a base modified outside kubenet that the verified image replaces is not pinned: the ' +
    'overlay reads what it was made on again, and is told its data may be inconsistent',
  async () => {
    guideOverlay();
    const logs: string[] = [];
    await protectBackingFile(paths, file(), { sha256: sha, madeOn, replacement: madeOn }, (line) => logs.push(line));
    assert.not.ok(existsSync(join(paths.root, 'base')), 'nothing pinned');
    assert.is(qemuInfo(join(paths.root, 'ubuntu0.img'))['backing-filename'], image, 'the overlay still names the file');
    assert.equal(logs, [
      `ubuntu0.img is backed by ${image}, which was modified outside kubenet after it was verified ` +
        `(sha256 now ${sha.slice(0, 16)}…, made on ${madeOn.slice(0, 16)}…): the verified image it was made ` +
        `on is put back in its place; what the VM wrote while its base was modified may be inconsistent`,
    ]);
  },
);

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test.run();
