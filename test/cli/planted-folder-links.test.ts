// Links planted in place of a FOLDER where kubenet writes (not only at a file's own name): `mkdir
// -p` and a path opened through a linked folder follow it. Each run must stop with exit 10 naming
// the link, before anything is written, replaced or deleted behind it — the folder it points to
// keeps exactly what it held. The files other programs write for kubenet (ssh's known_hosts) are
// checked before that program starts. Fast: no VM boots.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makePaths } from '../../lib/paths.js';
import { kubenetAsync } from '../helpers/cli.js';
import { startFakeVm, type FakeVm } from '../helpers/fake-vm.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim, type Victim } from '../helpers/victim.js';

const test = suite("links planted in place of kubenet's folders");
const name = 'jammy-server-cloudimg-amd64.img';
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let images: string;
let elsewhere: string; // the folder a planted link points to
const fakes: FakeVm[] = [];

test.before(async () => {
  server = await startFaultServer();
  publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', name, Buffer.alloc(256 * 1024, 3));
});
test.after(async () => {
  await server?.close();
});
test.before.each(() => {
  dir = tempDir('kubenet-folder-links-');
  images = join(dir.path, 'images');
  elsewhere = join(dir.path, 'elsewhere');
  mkdirSync(elsewhere);
});
test.after.each(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.kill()));
  dir.remove();
});

const kubenet = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  kubenetAsync([...args, '--images', images], {
    cwd: dir.path,
    timeoutMs: 60_000,
    env: { HOME: join(dir.path, 'home'), ...env },
  });

// A link at images/<folder> pointing to `elsewhere`, which holds the user's file `victimName`.
function plantFolderLink(folder: string, victimName: string): Victim {
  const victim = plantVictim(elsewhere, victimName);
  mkdirSync(dirname(join(images, folder)), { recursive: true });
  symlinkSync(elsewhere, join(images, folder));
  return victim;
}

function refusedNaming(
  r: { code: number | null; stdout: string; stderr: string },
  link: string,
  victims: Victim[],
  before: string[],
): void {
  assert.is(r.code, 10, r.stderr + r.stdout);
  assert.match(r.stderr, `${link} is a symbolic link where kubenet keeps its own folder`);
  for (const v of victims) assert.ok(v.untouched(), `${v.path} is unchanged`);
  assert.equal(
    readdirSync(elsewhere).sort(),
    before.sort(),
    'nothing added to or removed from the folder the link points to',
  );
}

for (const [folder, victimName] of [
  ['.kubenet/downloads', `${name}.json`],
  ['.kubenet', 'task-files.json'],
] as const) {
  test(`run cloud-img: a link at ${folder} stops it before the download; nothing behind it is written`, async () => {
    const victim = plantFolderLink(folder, victimName);
    const r = await kubenet(['run', 'cloud-img', '--mirror', server.url]);
    refusedNaming(r, join(images, folder), [victim], [victimName]);
    assert.not.ok(
      server.requests.some((q) => q.path.endsWith(name) && q.bytes > 0 && q.status === 200 && r.code !== 10),
      'no byte downloaded',
    );
  });
}

for (const folder of ['.kubenet/state', '.kubenet']) {
  test(`run 00-qemu: a link at ${folder} stops it; the record it would replace behind it is untouched`, async () => {
    const victim = plantFolderLink(folder, folder === '.kubenet' ? 'state' : '00-qemu.json');
    const r = await kubenet(['run', '00-qemu', '--arch', 'aarch64']);
    refusedNaming(r, join(images, folder), [victim], [folder === '.kubenet' ? 'state' : '00-qemu.json']);
  });
}

test(
  "kubenet ssh: a link at the VM's known_hosts stops " + 'it before ssh starts (ssh would append through it)',
  async () => {
    const paths = makePaths(images);
    mkdirSync(paths.vmDir('ubuntu0'), { recursive: true });
    fakes.push(await startFakeVm(paths, 'ubuntu0'));
    writeFileSync(paths.vmFile('ubuntu0', 'ssh-port'), '9\n');
    mkdirSync(join(dir.path, 'home', '.ssh'), { recursive: true });
    writeFileSync(join(dir.path, 'home', '.ssh', 'id_ed25519'), 'a key', { mode: 0o600 });
    writeFileSync(join(dir.path, 'home', '.ssh', 'id_ed25519.pub'), 'ssh-ed25519 AAAA a key');
    const victim = plantVictim(elsewhere, 'known_hosts');
    symlinkSync(victim.path, paths.vmFile('ubuntu0', 'known_hosts'));
    const r = await kubenet(['ssh', 'ubuntu0', '--wait', '0', '--', 'true']);
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(
      r.stderr,
      `${paths.vmFile('ubuntu0', 'known_hosts')} is a symbolic link where kubenet keeps its own file (ssh writes it)`,
    );
    assert.ok(victim.untouched());
  },
);

test('kubenet stop: a link in place of vm/ is refused; the stale pid file behind it stays', async () => {
  // The VMs' folder linked elsewhere, holding a pid file of a process that is gone: stop would tidy it.
  mkdirSync(join(elsewhere, 'ubuntu0'));
  writeFileSync(join(elsewhere, 'ubuntu0', 'pid'), '999999\n');
  const victim = plantVictim(join(elsewhere, 'ubuntu0'), 'run.json');
  mkdirSync(images, { recursive: true });
  symlinkSync(elsewhere, join(images, 'vm'));
  const r = await kubenet(['stop', 'ubuntu0']);
  assert.is(r.code, 10, r.stderr + r.stdout);
  assert.match(r.stderr, `${join(images, 'vm')} is a symbolic link where kubenet keeps its own folder`);
  assert.ok(victim.untouched());
  assert.equal(readdirSync(join(elsewhere, 'ubuntu0')).sort(), ['pid', 'run.json']);
});

test('kubenet reset: a link in place of vm/ is refused, and nothing behind it is deleted', async () => {
  mkdirSync(join(elsewhere, 'ubuntu0'));
  const victim = plantVictim(join(elsewhere, 'ubuntu0'), 'serial.log');
  mkdirSync(images, { recursive: true });
  symlinkSync(elsewhere, join(images, 'vm'));
  writeFileSync(join(images, 'ubuntu0.img'), 'a disk');
  const r = await kubenet(['reset', '03-cloud-image', '--yes']);
  assert.is(r.code, 10, r.stderr + r.stdout);
  assert.match(r.stderr, `${join(images, 'vm')} is a symbolic link where kubenet keeps its own folder`);
  assert.ok(victim.untouched());
});

test("cache prune: a link in place of the cache's sha256/ folder is refused; the file behind it stays", async () => {
  const cache = join(dir.path, 'cache');
  mkdirSync(cache);
  const victim = plantVictim(elsewhere, 'ab'.repeat(32)); // named as an entry: 64 hex digits
  const old = new Date(Date.now() - 90 * 86_400_000);
  utimesSync(victim.path, old, old);
  symlinkSync(elsewhere, join(cache, 'sha256'));
  const r = await kubenet(['cache', 'prune', '--all'], { KUBENET_CACHE: cache });
  assert.is(r.code, 10, r.stderr + r.stdout);
  assert.match(r.stderr, `${join(cache, 'sha256')} is a symbolic link where kubenet keeps its own folder`);
  assert.ok(victim.untouched());
});

test.run();
