// Real TLS: an https mirror with a certificate made for the test. Trusted through
// NODE_EXTRA_CA_CERTS it works; untrusted, the download is refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { selfSigned } from '../helpers/self-signed.js';
import { testKeys } from '../helpers/signing.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('download over TLS');
let dir: ReturnType<typeof tempDir>;
let tls: { cert: string; key: string };
let server: https.Server;
let base: string;
const body = Buffer.alloc(300_000, 9);
const sha = createHash('sha256').update(body).digest('hex');
const name = 'jammy-server-cloudimg-arm64.img';
const files: Record<string, Buffer> = {
  [`/cloud-images.ubuntu.com/jammy/current/${name}`]: body,
  '/cloud-images.ubuntu.com/jammy/current/SHA256SUMS': Buffer.from(`${sha} *${name}\n`),
};

test.before(async () => {
  dir = tempDir('kubenet-tls-');
  const sums = '/cloud-images.ubuntu.com/jammy/current/SHA256SUMS';
  files[`${sums}.gpg`] = await (await testKeys()).trusted.sign(files[sums]!); // as upstream publishes it
  tls = selfSigned(dir.path, { extensions: ['subjectAltName=DNS:localhost'] });
  server = https.createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
    const file = files[new URL(req.url ?? '/', 'https://x').pathname];
    res.writeHead(file ? 200 : 404, { 'Content-Length': file?.length ?? 0 });
    res.end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
});
test.after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  dir?.remove();
});

const run = (images: string, env: NodeJS.ProcessEnv = {}) =>
  kubenetAsync(['run', 'cloud-img', '--arch', 'aarch64', '--mirror', base, '--images', join(dir.path, images)], {
    timeoutMs: 60_000,
    env,
  });

test('downloads and verifies from an https mirror whose certificate is trusted', async () => {
  const r = await run('trusted', { NODE_EXTRA_CA_CERTS: tls.cert });
  assert.is(r.code, 0, r.stderr);
  assert.is(
    createHash('sha256')
      .update(readFileSync(join(dir.path, 'trusted', name)))
      .digest('hex'),
    sha,
  );
});

test('refuses a certificate it cannot verify, and says so', async () => {
  const r = await run('untrusted');
  assert.is(r.code, 20, r.stderr);
  assert.match(r.stderr, /self-signed|certificate/i);
});

test.run();
