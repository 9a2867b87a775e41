// The shared download cache from the command line: a second folder's prefetch transfers nothing,
// `kubenet cache` lists it, `kubenet cache prune` keeps what a folder links and says why, and
// the cache moves (--cache, KUBENET_CACHE, kubenet.yaml) or goes (--no-cache, cache: off).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../../helpers/fault-server.js';
import { tempDir } from '../../helpers/tmp.js';

const test = suite('kubenet cache');
const name = 'jammy-server-cloudimg-arm64.img';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: ReturnType<typeof tempDir>;
let server: FaultServer;
let body: Buffer;

test.before.each(async () => {
  dir = tempDir('kubenet-cache-cli-');
  server = await startFaultServer();
  body = randomBytes(400_000);
  publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', name, body);
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const cacheDir = () => join(dir.path, 'cache');
const images = (n: string) => join(dir.path, n, 'images');
const entry = () => join(cacheDir(), 'sha256', sha(body));
const run = (args: string[], env: NodeJS.ProcessEnv = { KUBENET_CACHE: cacheDir() }, cwd?: string) =>
  kubenetAsync([...args, '--arch', 'aarch64'], { timeoutMs: 30_000, env, ...(cwd ? { cwd } : {}) });
const prefetch = (n: string, env?: NodeJS.ProcessEnv) =>
  run(['prefetch', 'cloud-img', '--mirror', server.url, '--images', images(n)], env);
const bodyBytes = () => server.requests.reduce((sum, r) => sum + r.bytes, 0);

test("a second folder's prefetch transfers 0 bytes: one SHA256SUMS 304, the image a hard link", async () => {
  assert.is((await prefetch('one')).code, 0);
  const before = { requests: server.requests.length, bytes: bodyBytes() };
  const r = await prefetch('two');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `${name}  390.6 KiB  sha256:${sha(body)}  shared`);
  assert.is(bodyBytes() - before.bytes, 0);
  assert.equal(
    server.requests.slice(before.requests).map((q) => q.status),
    [304],
  );
  assert.is(statSync(join(images('two'), name)).ino, statSync(join(images('one'), name)).ino);
});

test('kubenet cache lists each entry: download, name, size, digest, last use and links', async () => {
  await prefetch('one');
  await prefetch('two');
  const r = await run(['cache']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `shared download cache: ${cacheDir()} (KUBENET_CACHE)`);
  assert.match(
    r.stdout,
    new RegExp(
      `cloud-img +${name.replaceAll('.', '\\.')} +390\\.6 KiB  ` +
        `sha256:${sha(body).slice(0, 16)}…  used today  linked by 2 other names`,
    ),
  );
  assert.match(r.stdout, '1 entry, 390.6 KiB.');
  const json = JSON.parse((await run(['cache', '--json'])).stdout) as {
    entries: { sha256: string; download: string; links: number }[];
  };
  assert.equal(
    json.entries.map((e) => [e.sha256, e.download, e.links]),
    [[sha(body), 'cloud-img', 2]],
  );
});

test(
  'prune keeps what a folder links and what was used ' + 'lately, says why, and removes the rest with --all',
  async () => {
    await prefetch('one');
    let r = await run(['cache', 'prune', '--all']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^kept +cloud-img .* linked by 1 other name \(an images\/ folder or a pinned base\)$/m);
    assert.match(r.stdout, 'freed 0 B (0 entries)');
    assert.ok(existsSync(entry()));
    rmSync(images('one'), { recursive: true, force: true });
    r = await run(['cache', 'prune']);
    assert.match(r.stdout, /^kept +cloud-img .* used today, less than 30 days ago$/m);
    assert.ok(existsSync(entry()));
    r = await run(['cache', 'prune', '--older-than', '1']);
    assert.match(r.stdout, /kept .* less than 1 days ago/);
    r = await run(['cache', 'prune', '--all']);
    assert.match(r.stdout, /^removed +cloud-img .* not linked by any folder; used today$/m);
    assert.match(r.stdout, 'freed 390.6 KiB (1 entry); kept 0 B (0)');
    assert.not.ok(existsSync(entry()));
    assert.not.ok(existsSync(`${entry()}.json`));
  },
);

test('--no-cache and KUBENET_CACHE=off turn it off: nothing is written there, and kubenet cache says so', async () => {
  assert.is(
    (
      await run(['prefetch', 'cloud-img', '--mirror', server.url, '--images', images('one'), '--no-cache'], {
        KUBENET_CACHE: cacheDir(),
      })
    ).code,
    0,
  );
  assert.not.ok(existsSync(cacheDir()));
  const r = await run(['cache'], { KUBENET_CACHE: 'off' });
  assert.is(r.stdout, 'the shared download cache is off (KUBENET_CACHE): every images/ folder downloads its own\n');
  const both = await run(['prefetch', '--cache', cacheDir(), '--no-cache']);
  assert.is(both.code, 2);
  assert.match(both.stderr, '--cache DIR and --no-cache contradict each other');
});

test(
  'by default it lives under ' + '$XDG_CACHE_HOME/kubenet/downloads; ' + 'kubenet.yaml can move it or turn it off',
  async () => {
    const xdg = join(dir.path, 'xdg');
    assert.is((await prefetch('one', { KUBENET_CACHE: undefined, XDG_CACHE_HOME: xdg })).code, 0);
    assert.ok(existsSync(join(xdg, 'kubenet', 'downloads', 'sha256', sha(body))));
    writeFileSync(join(dir.path, 'kubenet.yaml'), 'cache: ./shared\n');
    const moved = await run(['cache'], { KUBENET_CACHE: undefined }, dir.path);
    assert.match(
      moved.stdout,
      `shared download cache: ${join(dir.path, 'shared')} (${join(dir.path, 'kubenet.yaml')})`,
    );
    writeFileSync(join(dir.path, 'kubenet.yaml'), 'cache: off\n');
    const off = await run(['cache'], { KUBENET_CACHE: undefined }, dir.path);
    assert.match(off.stdout, 'the shared download cache is off');
  },
);

test('--older-than and --all go with prune; an unknown action suggests one', async () => {
  assert.match((await run(['cache', '--all'])).stderr, '--all goes with kubenet cache prune');
  const r = await run(['cache', 'purne']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'did you mean prune?');
});

test.run();
