// `kubenet prefetch` against a local mirror: every artifact, a manifest, a stable cache key.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../../helpers/fault-server.js';
import { testWhen } from '../../helpers/skip.js';
import { canMountTmpfs } from '../../helpers/small-disk.js';
import { tempDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/within.js';

const test = suite('kubenet prefetch');
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let iso: ReturnType<typeof publish>;
let img: ReturnType<typeof publish>;

test.before.each(async () => {
  server = await startFaultServer();
  dir = tempDir('kubenet-prefetch-');
  iso = publish(
    server,
    'https://cdimage.ubuntu.com/jammy/daily-live/current/',
    'jammy-desktop-arm64.iso',
    Buffer.alloc(300_000, 1),
  );
  img = publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    'jammy-server-cloudimg-arm64.img',
    Buffer.alloc(200_000, 2),
  );
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const prefetch = (...args: string[]) =>
  kubenetAsync(
    ['prefetch', '--arch', 'aarch64', '--mirror', server.url, '--images', join(dir.path, 'images'), ...args],
    { timeoutMs: 60_000 },
  );
const imgName = 'jammy-server-cloudimg-arm64.img';
const images = () => join(dir.path, 'images');
const inImages = (...parts: string[]) => join(images(), ...parts);
const lockOf = (name: string) => inImages('.kubenet', 'locks', `download-${name}.lock`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('downloads every artifact and prints a JSON manifest with a cache key', async () => {
  const r = await prefetch('--json', '--cache-key');
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const byName = Object.fromEntries(out.artifacts.map((a: { name: string }) => [a.name, a]));
  assert.equal(Object.keys(byName).sort(), ['jammy-desktop-arm64.iso', 'jammy-server-cloudimg-arm64.img']);
  assert.is(byName['jammy-desktop-arm64.iso'].sha256, iso.sha256);
  assert.is(byName['jammy-server-cloudimg-arm64.img'].sha256, img.sha256);
  assert.is(byName['jammy-server-cloudimg-arm64.img'].size, 200_000);
  assert.is(byName['jammy-server-cloudimg-arm64.img'].url, img.url, 'the upstream URL, not the mirror');
  assert.ok(existsSync(byName['jammy-desktop-arm64.iso'].path));
  assert.match(out.cacheKey, /^kubenet-images-[0-9a-f]{32}$/);
  // Same digests → same key, whatever was downloaded this time.
  const again = JSON.parse((await prefetch('--json', '--cache-key')).stdout);
  assert.is(again.cacheKey, out.cacheKey);
  assert.ok(again.artifacts.every((a: { status: string }) => a.status === 'cached'));
});

test('naming a task fetches only what it needs', async () => {
  const r = await prefetch('03-cloud-image', '--json');
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    JSON.parse(r.stdout).map((a: { name: string }) => a.name),
    ['jammy-server-cloudimg-arm64.img'],
  );
});

test('a failed artifact makes the exit code non-zero and is named', async () => {
  server.always(iso.path, { status: 404 });
  const r = await prefetch();
  assert.is.not(r.code, 0);
  assert.match(r.stderr, 'jammy-desktop-arm64.iso');
  assert.match(r.stderr, '404');
});

test('--offline with nothing cached fails clearly', async () => {
  const r = await prefetch('--offline');
  assert.is(r.code, 22, r.stderr);
  assert.match(r.stderr, /offline/i);
});

// — Guarantees and bounds (issue 9) —

test(
  'SIGHUP (a closed terminal) stops prefetch as Ctrl-C ' + 'does: exit 130, lock released, partial kept (bound 30 s)',
  async () => {
    server.always(img.path, { trickle: { bytes: 1000, everyMs: 50 } }); // 200 KB in 10 s
    const partial = inImages(`.${imgName}.part`);
    let child: ChildProcess | undefined;
    const running = kubenetAsync(
      ['prefetch', '13-cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images()],
      { timeoutMs: 30_000, onSpawn: (c) => (child = c) },
    );
    await until(() => existsSync(partial) && statSync(partial).size > 0, 'the download to start');
    child!.kill('SIGHUP');
    const r = await running;
    assert.is(r.code, 130, r.stderr);
    assert.match(r.stderr, 'interrupted');
    assert.not.ok(existsSync(lockOf(imgName)), 'no lock left');
    assert.ok(statSync(partial).size > 0, 'the partial is kept to resume');
  },
);

test(
  'with the image cached, an upstream that accepts and never answers ' +
    'costs 5 s, then the cache is used with one warning (bound 20 s)',
  async () => {
    assert.is((await prefetch('13-cloud-img')).code, 0);
    server.always(img.path.replace(imgName, 'SHA256SUMS'), { raw: () => ['hang'] });
    const r = await kubenetAsync(
      ['prefetch', '13-cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images()],
      { timeoutMs: 20_000 },
    );
    assert.is(r.code, 0, r.stderr);
    const warnings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /could not check upstream/.test(l));
    assert.is(warnings.length, 1);
    assert.match(
      warnings[0]!,
      `${imgName}: could not check upstream (no answer from ` +
        `${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS ` +
        `within 5 s); using the verified copy in the cache`,
    );
    assert.match(r.stdout, `${imgName}  195.3 KiB  sha256:${img.sha256}  cached`);
  },
);

test('a mirror password never appears in the output, even with --verbose', async () => {
  server.always(img.path, { status: 404 });
  const mirror = server.url.replace('http://', 'http://learner:s3cret@');
  const r = await kubenetAsync(
    ['prefetch', '13-cloud-img', '--arch', 'aarch64', '--mirror', mirror, '--images', images(), '--verbose'],
    { timeoutMs: 30_000 },
  );
  assert.is(r.code, 20, r.stderr);
  assert.not.match(`${r.stdout}${r.stderr}`, 's3cret');
  assert.match(r.stderr, 'http://***@127.0.0.1');
});

// A tmpfs of 64 KiB in a mount namespace of its own: a full disk without root's help.
const onSmallDisk = (dirPath: string) => [
  'unshare',
  '--user',
  '--map-root-user',
  '--mount',
  '--',
  'sh',
  '-c',
  'mount -t tmpfs -o size=64k tmpfs "$1" && shift && exec "$@"',
  'sh',
  dirPath,
];

testWhen(
  test,
  canMountTmpfs,
  'unshare cannot mount a tmpfs here (util-linux, user namespaces)',
  'a full disk is named as such before the transfer, with space to free and no "run again" advice (exit 10)',
  async () => {
    mkdirSync(images());
    const r = await kubenetAsync(
      ['prefetch', '13-cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images()],
      { timeoutMs: 30_000, wrapper: onSmallDisk(images()) },
    );
    assert.is(r.code, 10, r.stderr);
    // The 64 KiB disk's reserve is a twentieth of it (3.2 KiB): too small a disk for 256 MiB.
    assert.match(
      r.stderr,
      new RegExp(
        `cannot write ${imgName.replace(/\./g, '\\.')}: it needs \\d+\\.\\d KiB more, ` +
          `and ${images()} has \\d+\\.\\d KiB free \\(kubenet keeps 3\\.2 KiB of it free\\)`,
      ),
    );
    assert.match(
      r.stderr,
      /→ Free at least \d+\.\d KiB on that disk \(or pass --images DIR on a roomier one\), then run again/,
    );
    assert.not.match(r.stderr, 'Run again to resume the failed downloads');
    assert.not.match(r.stderr, 'ENOSPC');
  },
);

const asNobody = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'];
const canBecomeNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

testWhen(
  test,
  canBecomeNobody,
  'needs root (to drop to nobody) and setpriv',
  'a complete partial made read-only before a rename that a kill prevented is finished by a non-root user',
  async () => {
    const body = Buffer.alloc(200_000, 2);
    mkdirSync(images());
    const partial = inImages(`.${imgName}.part`);
    writeFileSync(partial, body);
    chmodSync(partial, 0o444);
    writeFileSync(
      inImages(`.${imgName}.part.json`),
      JSON.stringify({ url: img.url, sha256: img.sha256, validators: {}, total: body.length }),
    );
    spawnSync('chown', ['-R', 'nobody:nogroup', dir.path]);
    const r = await kubenetAsync(
      ['prefetch', '13-cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images()],
      { timeoutMs: 30_000, wrapper: asNobody },
    );
    assert.is(r.code, 0, r.stderr);
    assert.is(sha(readFileSync(inImages(imgName))), img.sha256);
    assert.is(lstatSync(inImages(imgName)).mode & 0o777, 0o444);
    assert.not.ok(existsSync(partial));
    assert.is(server.requests.filter((q) => q.path === img.path).length, 0, 'nothing downloaded again');
  },
);

test(
  'an offline machine needs no server: --mirror DIR (or ' + 'KUBENET_MIRROR=file:///DIR) laid out as wget -x makes it',
  async () => {
    const mirror = join(dir.path, 'mirror');
    const at = join(mirror, 'cloud-images.ubuntu.com', 'jammy', 'current');
    mkdirSync(at, { recursive: true });
    const body = Buffer.alloc(200_000, 2);
    writeFileSync(join(at, imgName), body);
    writeFileSync(join(at, 'SHA256SUMS'), `${sha(body)} *${imgName}\n`);
    const byPath = await kubenetAsync(
      ['prefetch', 'cloud-img', '--arch', 'aarch64', '--offline', '--mirror', mirror, '--images', images()],
      { timeoutMs: 30_000 },
    );
    assert.is(byPath.code, 0, byPath.stderr);
    assert.is(sha(readFileSync(inImages(imgName))), sha(body));
    const byUrl = await kubenetAsync(
      ['prefetch', 'cloud-img', '--arch', 'aarch64', '--images', join(dir.path, 'other')],
      { timeoutMs: 30_000, env: { KUBENET_MIRROR: `file://${mirror}` } },
    );
    assert.is(byUrl.code, 0, byUrl.stderr);
    assert.match(byUrl.stdout, `${imgName}  195.3 KiB  sha256:${sha(body)}  downloaded`);
    assert.is(server.requests.length, 0, 'no server was asked');
  },
);

test.run();
