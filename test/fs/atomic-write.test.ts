import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode } from '../../lib/errors.js';
import { writeFileAtomic } from '../../lib/fs/atomic-write.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('writeFileAtomic');
let dir: ReturnType<typeof tempDir>;

test.before.each(() => {
  dir = tempDir('kubenet-atomic-');
});
test.after.each(() => dir.remove());

test('writes the whole file with exactly the mode asked for, whatever the umask', async () => {
  const path = join(dir.path, 'sub', 'ssh-port');
  const umask = process.umask(0o077);
  try {
    await writeFileAtomic(path, '2222\n', { root: dir.path, mode: 0o644 });
  } finally {
    process.umask(umask);
  }
  assert.is(readFileSync(path, 'utf8'), '2222\n');
  assert.is(statSync(path).mode & 0o777, 0o644);
  assert.equal(readdirSync(join(dir.path, 'sub')), ['ssh-port'], 'no temp file left');
});

test('a link at the name is refused by name: neither followed nor replaced', async () => {
  const victim = plantVictim(dir.path);
  const path = join(dir.path, 'meta-data');
  symlinkSync(victim.path, path);
  await failsWith(
    () => writeFileAtomic(path, 'instance-id: x\n', { root: dir.path }),
    ExitCode.host,
    `${path} is a symbolic link`,
  );
  assert.ok(victim.untouched());
  assert.ok(lstatSync(path).isSymbolicLink());
});

// mkdir -p follows a link in place of a folder; every folder between the root and the file is checked.
for (const [where, parts] of [
  ["the file's own folder", ['.kubenet', 'state']],
  ['the folder above it', ['.kubenet']],
] as const) {
  test(`a link in place of ${where} is refused by name; nothing is written behind it`, async () => {
    const root = join(dir.path, 'images');
    const elsewhere = join(dir.path, 'elsewhere');
    mkdirSync(elsewhere);
    const victim = plantVictim(elsewhere, 'task.json');
    const link = join(root, ...parts);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(elsewhere, link);
    const path = join(root, '.kubenet', 'state', 'task.json');
    await failsWith(
      () => writeFileAtomic(path, '{}\n', { root }),
      ExitCode.host,
      `${link} is a symbolic link where kubenet keeps its own folder`,
    );
    assert.ok(victim.untouched());
    assert.equal(readdirSync(elsewhere), ['task.json']);
  });
}

test('images/ itself may be a link: the folders below it are made', async () => {
  const real = join(dir.path, 'real');
  mkdirSync(real);
  symlinkSync(real, join(dir.path, 'images'));
  await writeFileAtomic(join(dir.path, 'images', '.kubenet', 'state', 'task.json'), '{}\n', {
    root: join(dir.path, 'images'),
  });
  assert.is(readFileSync(join(real, '.kubenet', 'state', 'task.json'), 'utf8'), '{}\n');
});

test('temp files a killed run left beside the file are swept up', async () => {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  const leftover = join(dir.path, `.qemu.json.${pid}-0123abcd.tmp`);
  writeFileSync(leftover, '{"half');
  utimesSync(leftover, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
  mkdirSync(join(dir.path, 'keep'));
  await writeFileAtomic(join(dir.path, 'qemu.json'), '{}\n', { root: dir.path });
  assert.equal(readdirSync(dir.path).sort(), ['keep', 'qemu.json']);
});

test.run();
