// Signatures as a user meets them: what `list` and `explain` say of a download and the key that
// signed its SHA256SUMS; one message (exit 21) for a tampered SHA256SUMS, through a real proxy too;
// a folder mirror without SHA256SUMS.gpg said once to be checked by digest only, and refused under
// --require-signature, KUBENET_REQUIRE_SIGNATURE or require-signature in kubenet.yaml; an offline
// import with its SHA256SUMS and SHA256SUMS.gpg. The mirrors sign with the tests' key (signing.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenet, kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { testKeys, trustedKeysFile, type TestKey } from '../helpers/signing.js';
import { testWhen } from '../helpers/skip.js';
import { hasTinyproxy, startTinyproxy } from '../helpers/tinyproxy.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('signatures at the command line');
const name = 'jammy-server-cloudimg-arm64.img';
const upstreamDir = 'https://cloud-images.ubuntu.com/jammy/current/';
const sumsPath = '/cloud-images.ubuntu.com/jammy/current/SHA256SUMS';
const body = Buffer.alloc(400_000, 5);
const sha = createHash('sha256').update(body).digest('hex');
const sumsText = `${sha} *${name}\n`;
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let images: string;
let keys: { trusted: TestKey; untrusted: TestKey };

test.before(async () => {
  keys = await testKeys();
});
test.before.each(async () => {
  server = await startFaultServer();
  dir = tempDir('kubenet-signatures-');
  images = join(dir.path, 'images');
  publish(server, upstreamDir, name, body, sumsText);
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const at = ['--arch', 'aarch64'];
const run = (args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) =>
  kubenetAsync(['run', 'cloud-img', ...at, '--images', images, ...args], {
    timeoutMs: 60_000,
    env,
    ...(cwd ? { cwd } : {}),
  });
const occurrences = (text: string, part: string) => text.split(part).length - 1;
const nothingInImages = () => !existsSync(images) || readdirSync(images).every((n) => n === '.kubenet');

test('list and explain say which key signed the SHA256SUMS a download was verified against', async () => {
  const r = await run(['--mirror', server.url]);
  assert.is(r.code, 0, r.stderr);
  const signed = `SHA256SUMS signed by ${keys.trusted.name} (`;
  const list = kubenet(['list', ...at, '--images', images]);
  assert.match(
    list.stdout,
    new RegExp(`cloud-img +${name}  verified; needed by [^\\n]*\\n +${signed.replace(/[()]/g, '\\$&')}`),
  );
  assert.match(list.stdout, `, a key of ${trustedKeysFile}`);
  const json = JSON.parse(kubenet(['list', '--json', ...at, '--images', images]).stdout) as {
    downloads: { name: string; signature?: { key: string } | null }[];
  };
  assert.is(json.downloads.find((d) => d.name === 'cloud-img')?.signature?.key, keys.trusted.fingerprint);
  const explain = kubenet(['explain', 'cloud-img', ...at, '--images', images]);
  assert.match(
    explain.stdout,
    `whose signature (SHA256SUMS.gpg) must be by a key of ${trustedKeysFile} (trusted-keys)`,
  );
  assert.match(explain.stdout, `here: verified; ${signed}`);
  const shipped = kubenet(['explain', 'cloud-img', ...at, '--images', join(dir.path, 'none')], {
    env: { KUBENET_TRUSTED_KEYS: '' },
  });
  assert.match(
    shipped.stdout,
    'whose signature (SHA256SUMS.gpg) must be by UEC Image Automatic Signing Key ' +
      '<cdimage@ubuntu.com> (D2EB 4462 6FDD C30B 513D  5BB7 1A5D 6C4C 7DB8 7C81)',
  );
  assert.match(shipped.stdout, 'here: not downloaded');
});

test('a SHA256SUMS changed after signing: exit 21 with one message, nothing kept', async () => {
  server.put(`${sumsPath}.gpg`, await keys.trusted.sign(sumsText));
  server.put(sumsPath, sumsText.replace(sha, 'f'.repeat(64)));
  const r = await run(['--mirror', server.url]);
  assert.is(r.code, 21, r.stderr);
  assert.is(occurrences(r.stderr, 'was changed after it was signed'), 1, r.stderr);
  assert.ok(nothingInImages(), 'nothing kept in images/');
});

testWhen(
  test,
  hasTinyproxy,
  'tinyproxy is not installed (apt-get install tinyproxy)',
  'through a real proxy: the signature comes the same way as SHA256SUMS; a foreign one is refused',
  async () => {
    const proxy = await startTinyproxy();
    try {
      const env = { http_proxy: proxy.url, no_proxy: '' };
      const good = await run(['--mirror', server.url], env);
      assert.is(good.code, 0, good.stderr);
      assert.match(await proxy.log(), `GET ${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS.gpg`);
      assert.ok(
        server.requests.some((q) => q.path === `${sumsPath}.gpg` && /tinyproxy/.test(String(q.headers.via))),
        'the mirror got it from the proxy',
      );
      images = join(dir.path, 'second');
      server.put(`${sumsPath}.gpg`, await keys.untrusted.sign(sumsText));
      const foreign = await run(['--mirror', server.url], env);
      assert.is(foreign.code, 21, foreign.stderr);
      assert.is(occurrences(foreign.stderr, 'is signed by another key'), 1, foreign.stderr);
      assert.ok(nothingInImages());
    } finally {
      await proxy.stop();
    }
  },
);

// A folder mirror made with `wget -x` of SHA256SUMS and the image, without the signature.
function folderMirror(): string {
  const mirror = join(dir.path, 'mirror');
  mkdirSync(join(mirror, 'cloud-images.ubuntu.com/jammy/current'), { recursive: true });
  writeFileSync(join(mirror, 'cloud-images.ubuntu.com/jammy/current', name), body);
  writeFileSync(join(mirror, 'cloud-images.ubuntu.com/jammy/current/SHA256SUMS'), sumsText);
  return mirror;
}

test('a folder mirror without SHA256SUMS.gpg: checked by digest only, said once', async () => {
  const r = await run(['--mirror', folderMirror()]);
  assert.is(r.code, 0, r.stderr);
  assert.is(occurrences(r.stdout + r.stderr, 'checked by digest only'), 1, r.stdout + r.stderr);
  assert.match(
    kubenet(['list', ...at, '--images', images]).stdout,
    'checked by digest only: the folder mirror has no SHA256SUMS.gpg',
  );
});

for (const [how, args, env, yaml] of [
  ['--require-signature', ['--require-signature'], {}, undefined],
  ['KUBENET_REQUIRE_SIGNATURE=1', [], { KUBENET_REQUIRE_SIGNATURE: '1' }, undefined],
  ['require-signature: true in kubenet.yaml', [], {}, 'require-signature: true\n'],
] as const) {
  test(`${how} makes a download checked by digest only an error: exit 21, one message, nothing kept`, async () => {
    const cwd = join(dir.path, 'work');
    mkdirSync(cwd, { recursive: true });
    if (yaml) writeFileSync(join(cwd, 'kubenet.yaml'), yaml);
    const r = await run(['--mirror', folderMirror(), ...args], env, cwd);
    assert.is(r.code, 21, r.stderr);
    assert.is(occurrences(r.stderr, 'and a signature is required'), 1, r.stderr);
    assert.ok(nothingInImages(), 'nothing kept in images/');
    if (yaml) assert.match(kubenet(['config'], { cwd }).stdout, /require-signature +true +\(.*kubenet\.yaml\)/);
  });
}

test(
  'import --offline with SHA256SUMS and SHA256SUMS.gpg ' + 'beside the file: verified, and list says by which key',
  async () => {
    const downloads = join(dir.path, 'Downloads');
    mkdirSync(downloads);
    writeFileSync(join(downloads, name), body);
    writeFileSync(join(downloads, 'SHA256SUMS'), sumsText);
    writeFileSync(join(downloads, 'SHA256SUMS.gpg'), await keys.trusted.sign(sumsText));
    const r = kubenet(['import', '--offline', ...at, '--images', images, join(downloads, name)]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, `${join(downloads, 'SHA256SUMS')} verified: signed by ${keys.trusted.name}`);
    assert.match(kubenet(['list', ...at, '--images', images]).stdout, `SHA256SUMS signed by ${keys.trusted.name}`);
  },
);

test.run();
