import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, lutimesSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sweepTemps, tempPathFor } from '../../lib/fs/temp-names.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('temp names: unpredictable, and swept up after a killed run');
let dir: ReturnType<typeof tempDir>;

test.before.each(() => {
  dir = tempDir('kubenet-temps-');
});
test.after.each(() => dir.remove());

// A pid that was just used and has exited.
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;
const old = (path: string) => utimesSync(path, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));

test('temp names sit beside the target, hidden, name the process and differ between calls', () => {
  const a = tempPathFor('/images/vm/ubuntu0/efivars.fd');
  assert.match(a, new RegExp(`^/images/vm/ubuntu0/\\.efivars\\.fd\\.${process.pid}-[0-9a-f]{8}\\.tmp$`));
  assert.is.not(a, tempPathFor('/images/vm/ubuntu0/efivars.fd'));
});

test("a dead run's temp files and folders of that name are removed", async () => {
  const target = join(dir.path, 'efivars.fd');
  const pid = deadPid();
  const file = join(dir.path, `.efivars.fd.${pid}-0123abcd.tmp`);
  const folder = join(dir.path, `.efivars.fd.${pid}-89abcdef.tmp`);
  writeFileSync(file, 'half a copy');
  mkdirSync(folder);
  writeFileSync(join(folder, 'inside'), 'x');
  old(file);
  old(folder);
  assert.equal((await sweepTemps(target)).sort(), [
    `.efivars.fd.${pid}-0123abcd.tmp`,
    `.efivars.fd.${pid}-89abcdef.tmp`,
  ]);
  assert.equal(readdirSync(dir.path), []);
});

test('what a live process, a recent write or another name owns is kept', async () => {
  const target = join(dir.path, 'efivars.fd');
  const kept = [
    `.efivars.fd.${process.ppid}-0123abcd.tmp`, // a live process
    `.efivars.fd.${deadPid()}-0123abcd.tmp`, // recent: maybe another host's live process
    `.cidata.iso.${deadPid()}-0123abcd.tmp`, // another file's
    `.efivars.fd.12-notours.tmp`, // not kubenet's pattern
    'efivars.fd',
  ];
  for (const name of kept) writeFileSync(join(dir.path, name), 'x');
  old(join(dir.path, kept[0]!));
  old(join(dir.path, kept[2]!));
  old(join(dir.path, kept[3]!));
  assert.equal(await sweepTemps(target), []);
  assert.equal(readdirSync(dir.path).sort(), [...kept].sort());
});

test('a link planted under a temp name is removed itself; what it points at is not', async () => {
  const victim = plantVictim(dir.path);
  const images = join(dir.path, 'images');
  mkdirSync(images);
  const link = join(images, `.ubuntu0.img.${deadPid()}-0123abcd.tmp`);
  symlinkSync(dir.path, link);
  lutimesSync(link, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
  assert.equal((await sweepTemps(join(images, 'ubuntu0.img'))).length, 1);
  assert.not.ok(existsSync(link));
  assert.ok(victim.untouched());
  assert.ok(existsSync(join(dir.path, 'victim.txt')));
});

test.run();
