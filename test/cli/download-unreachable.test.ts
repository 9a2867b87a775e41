// Offline and unreachable, as a user meets it (issue 18 §4): kubenet run in a network namespace
// of the test's own, with nothing but loopback — no DNS answer, no route — never the real network.
// There a download names what happened and what helps; an import with a SHA256SUMS beside the file
// works without --offline; and a shared-cache entry that a loopback test mirror vouched for is not
// taken for upstream's image.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { canMakeNetns, createNetns, type Netns } from '../helpers/netns.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('downloads with no network');
const name = 'jammy-server-cloudimg-amd64.img';
const upstreamDir = 'https://cloud-images.ubuntu.com/jammy/current/';
const body = Buffer.alloc(200_000, 3);
const sha = createHash('sha256').update(body).digest('hex');
const why = 'needs root and iproute2 for a network namespace (apt-get install iproute2)';
const noProxy = { https_proxy: '', HTTPS_PROXY: '', http_proxy: '', HTTP_PROXY: '', all_proxy: '', ALL_PROXY: '' };
let dir: ReturnType<typeof tempDir>;
let netns: Netns | undefined;
let mirror: FaultServer;

test.before(async () => {
  dir = tempDir('kubenet-unreachable-');
  mirror = await startFaultServer();
  publish(mirror, upstreamDir, name, body);
  if (canMakeNetns()) netns = createNetns();
});
test.after(async () => {
  netns?.remove();
  await mirror.close();
  dir.remove();
});

// kubenet in the namespace: loopback only, so every outside name and address is out of reach.
const offline = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  kubenetAsync([...args, '--arch', 'x86_64'], {
    wrapper: ['ip', 'netns', 'exec', netns!.name],
    env: { ...noProxy, ...env },
    timeoutMs: 60_000,
  });

const assertWaysOn = (stderr: string) => {
  for (const way of ['kubenet import FILE', '--offline', '--mirror BASE', 'https_proxy']) assert.match(stderr, way);
  assert.not.match(stderr, 'breaks HTTP');
};

testWhen(test, canMakeNetns(), why, 'no DNS answer: named as such, with what helps (exit 20)', async () => {
  const r = await offline(['run', 'cloud-img', '--images', join(dir.path, 'dns', 'images')]);
  assert.is(r.code, 20, r.stderr + r.stdout);
  assert.match(r.stderr, 'kubenet: cannot reach cloud-images.ubuntu.com: no DNS answer\n');
  assert.match(r.stderr, `(fetching ${upstreamDir}SHA256SUMS)`);
  assert.match(r.stderr, 'No address for cloud-images.ubuntu.com: this machine looks offline');
  assertWaysOn(r.stderr);
});

testWhen(
  test,
  canMakeNetns(),
  why,
  'no route: named as such, and the mirror named as what cannot be reached (exit 20)',
  async () => {
    const r = await offline([
      'run',
      'cloud-img',
      '--images',
      join(dir.path, 'route', 'images'),
      '--mirror',
      'http://10.255.255.1/',
    ]);
    assert.is(r.code, 20, r.stderr + r.stdout);
    assert.match(r.stderr, 'kubenet: cannot reach 10.255.255.1: no route to it (network unreachable)\n');
    assert.match(r.stderr, 'That is the mirror http://10.255.255.1/');
    assertWaysOn(r.stderr);
  },
);

testWhen(
  test,
  canMakeNetns(),
  why,
  'import with a SHA256SUMS beside the file works offline without --offline, saying in one line what vouched',
  async () => {
    const downloads = join(dir.path, 'Downloads');
    mkdirSync(downloads, { recursive: true });
    writeFileSync(join(downloads, name), body);
    writeFileSync(join(downloads, 'SHA256SUMS'), `${sha} *${name}\n`);
    const images = join(dir.path, 'import', 'images');
    const r = await offline(['import', join(downloads, name), '--images', images]);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const vouched = r.stderr.split('\n').filter((l) => l.includes('vouched'));
    assert.equal(vouched, [
      `kubenet: ${name}: upstream's SHA256SUMS could not be had (cannot reach cloud-images.ubuntu.com: ` +
        `no DNS answer); the SHA256SUMS beside the file vouched for it: ${join(downloads, 'SHA256SUMS')}`,
    ]);
    assert.match(r.stdout, `checked against ${join(downloads, 'SHA256SUMS')}`);
    assert.ok(existsSync(join(images, name)));
  },
);

// The issue's own scenario: a test mirror's image, verified against the test mirror's SHA256SUMS,
// sat in the shared cache; a run that could not reach upstream linked it and called it verified.
testWhen(
  test,
  canMakeNetns(),
  why,
  'a run that cannot reach upstream takes no shared-cache entry a test mirror vouched for, and names it (exit 20)',
  async () => {
    const cache = join(dir.path, 'cache');
    const fill = await kubenetAsync(
      [
        'prefetch',
        'cloud-img',
        '--arch',
        'x86_64',
        '--images',
        join(dir.path, 'filled', 'images'),
        '--mirror',
        mirror.url,
      ],
      { env: { KUBENET_CACHE: cache, ...noProxy }, timeoutMs: 60_000 },
    );
    assert.is(fill.code, 0, fill.stderr + fill.stdout);
    const images = join(dir.path, 'provenance', 'images');
    const r = await offline(['run', 'cloud-img', '--images', images], { KUBENET_CACHE: cache });
    assert.is(r.code, 20, r.stderr + r.stdout);
    assert.match(r.stderr, 'kubenet: cannot reach cloud-images.ubuntu.com: no DNS answer\n');
    assert.match(
      r.stderr,
      `Not used: the shared cache's ${name} (sha256 ${sha.slice(0, 16)}…), vouched for by ` +
        `${mirror.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS, not by ${upstreamDir}SHA256SUMS.`,
    );
    assert.not.match(r.stdout + r.stderr, 'using the verified copy');
    assert.not.ok(existsSync(join(images, name)), 'nothing linked into images/');
  },
);

test.run();
