// `kubenet import FILE…` as a learner runs it after the guide's wget.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../../helpers/fault-server.js';
import { tempDir } from '../../helpers/tmp.js';

const test = suite('kubenet import');
const name = 'jammy-server-cloudimg-amd64.img';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: ReturnType<typeof tempDir>;
let server: FaultServer;
let body: Buffer;
let mine: string;

test.before.each(async () => {
  dir = tempDir('kubenet-import-cli-');
  server = await startFaultServer();
  body = randomBytes(300_000);
  publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', name, body);
  mkdirSync(join(dir.path, 'Downloads'));
  mine = join(dir.path, 'Downloads', name);
  writeFileSync(mine, body);
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const images = () => join(dir.path, 'images');
const kubenet = (...args: string[]) =>
  kubenetAsync([...args, '--images', images(), '--mirror', server.url], { timeoutMs: 30_000 });

test(
  "imports the learner's wget: recognised by name, checked " +
    'against upstream, copied (never linked), then listed as verified',
  async () => {
    const r = await kubenet('import', mine);
    assert.is(r.code, 0, r.stderr);
    assert.is(
      r.stdout,
      `${name}  293.0 KiB  sha256:${sha(body)}  imported (a copy of your file, which stays ` +
        `yours), checked against ${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS\n`,
    );
    assert.is.not(statSync(join(images(), name)).ino, statSync(mine).ino);
    const list = await kubenetAsync(['list', '--arch', 'x86_64', '--images', images()]);
    assert.match(list.stdout, new RegExp(`cloud-img +${name.replaceAll('.', '\\.')}  verified`));
  },
);

test('offline, with the SHA256SUMS beside it; --json for scripts', async () => {
  writeFileSync(join(dir.path, 'Downloads', 'SHA256SUMS'), `${sha(body)} *${name}\n`);
  const r = await kubenet('import', mine, '--offline', '--json');
  assert.is(r.code, 0, r.stderr);
  const [result] = JSON.parse(r.stdout) as { name: string; sha256: string; placed: string; checkedAgainst: string }[];
  assert.equal(
    [result!.name, result!.sha256, result!.placed, result!.checkedAgainst],
    [name, sha(body), 'copied', join(dir.path, 'Downloads', 'SHA256SUMS')],
  );
  assert.is(server.requests.length, 0);
});

test('a copy that does not match: exit 21, the file untouched and nothing in images/', async () => {
  writeFileSync(mine, body.subarray(0, 1000));
  const r = await kubenet('import', mine);
  assert.is(r.code, 21, r.stderr);
  assert.match(r.stderr, `${mine} does not match`);
  assert.is(readFileSync(mine).length, 1000);
  assert.not.ok(existsSync(join(images(), name)));
});

test('a file kubenet does not know by its name: exit 2, with the names it knows', async () => {
  const renamed = join(dir.path, 'Downloads', 'jammy-server-cloudimg-amd64 (1).img');
  writeFileSync(renamed, body);
  const r = await kubenet('import', renamed);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'kubenet knows no download of that name (did you mean jammy-server-cloudimg-amd64.img?)');
  assert.match(r.stderr, 'Rename a copy to its upstream name');
});

test('without a file: exit 2 with an example', async () => {
  const r = await kubenet('import');
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'kubenet import ~/Downloads/');
});

test.run();
