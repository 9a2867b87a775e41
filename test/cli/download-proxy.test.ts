// Downloads through a real proxy on loopback (tinyproxy, from Debian): plain http as an
// absolute-URI request, https through a CONNECT tunnel to a TLS mirror kubenet trusts
// (NODE_EXTRA_CA_CERTS, as in download-tls.test.ts), Basic auth, and the proxy's own refusals.
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
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { testWhen } from '../helpers/skip.js';
import { hasTinyproxy, startTinyproxy, type Tinyproxy } from '../helpers/tinyproxy.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('downloads through a proxy');
const name = 'jammy-server-cloudimg-arm64.img';
const body = Buffer.alloc(300_000, 7);
const sha = createHash('sha256').update(body).digest('hex');
const why = 'tinyproxy is not installed (apt-get install tinyproxy)';
let dir: ReturnType<typeof tempDir>;
let tls: { cert: string; key: string };
let tlsServer: https.Server;
let tlsBase: string;
let plain: FaultServer;
let proxy: Tinyproxy | undefined;

test.before(async () => {
  dir = tempDir('kubenet-proxy-');
  tls = selfSigned(dir.path, { extensions: ['subjectAltName=DNS:localhost,IP:127.0.0.1'] });
  const files: Record<string, Buffer> = {
    [`/cloud-images.ubuntu.com/jammy/current/${name}`]: body,
    '/cloud-images.ubuntu.com/jammy/current/SHA256SUMS': Buffer.from(`${sha} *${name}\n`),
  };
  files['/cloud-images.ubuntu.com/jammy/current/SHA256SUMS.gpg'] = await (await testKeys()).trusted.sign(
    files['/cloud-images.ubuntu.com/jammy/current/SHA256SUMS']!,
  ); // as upstream publishes it
  tlsServer = https.createServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (req, res) => {
    const file = files[new URL(req.url ?? '/', 'https://x').pathname];
    res.writeHead(file ? 200 : 404, { 'Content-Length': file?.length ?? 0 });
    res.end(file);
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  tlsBase = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}/`;
  plain = await startFaultServer();
  publish(plain, 'https://cloud-images.ubuntu.com/jammy/current/', name, body);
});
test.after.each(async () => {
  await proxy?.stop();
  proxy = undefined;
});
test.after(async () => {
  await new Promise((resolve) => tlsServer?.close(resolve));
  await plain?.close();
  dir?.remove();
});

let n = 0;
const fetchVia = (mirror: string, env: NodeJS.ProcessEnv) =>
  kubenetAsync(
    ['prefetch', 'cloud-img', '--arch', 'aarch64', '--mirror', mirror, '--images', join(dir.path, `images-${n++}`)],
    {
      timeoutMs: 60_000,
      env: { NODE_EXTRA_CA_CERTS: tls.cert, ...env },
    },
  );

testWhen(test, hasTinyproxy, why, 'https goes through the proxy as a CONNECT tunnel and verifies', async () => {
  proxy = await startTinyproxy();
  const r = await fetchVia(tlsBase, { HTTPS_PROXY: proxy.url });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `${name}  292.97 KiB  sha256:${sha}  downloaded`.replace('292.97', '293.0'));
  assert.match(await proxy.log(), `CONNECT 127.0.0.1:${new URL(tlsBase).port} HTTP/1.1`);
});

testWhen(
  test,
  hasTinyproxy,
  why,
  'plain http goes through http_proxy, which forwards it (its Via header shows)',
  async () => {
    proxy = await startTinyproxy();
    const before = plain.requests.length;
    const r = await fetchVia(plain.url, { http_proxy: proxy.url });
    assert.is(r.code, 0, r.stderr);
    const seen = plain.requests.slice(before);
    assert.ok(
      seen.length >= 2 && seen.every((q) => /tinyproxy/.test(String(q.headers.via))),
      JSON.stringify(seen.map((q) => q.headers)),
    );
    assert.match(await proxy.log(), `GET ${plain.url}cloud-images.ubuntu.com/jammy/current/${name} HTTP/1.1`);
  },
);

testWhen(
  test,
  hasTinyproxy,
  why,
  'a proxy that wants Basic auth gets it from USER:PASSWORD@ in the variable',
  async () => {
    proxy = await startTinyproxy({ basicAuth: ['learner', 's3cret'] });
    const r = await fetchVia(tlsBase, { https_proxy: proxy.url.replace('http://', 'http://learner:s3cret@') });
    assert.is(r.code, 0, r.stderr);
  },
);

testWhen(test, hasTinyproxy, why, 'a wrong proxy password: exit 20 at once, says so, never shows it', async () => {
  proxy = await startTinyproxy({ basicAuth: ['learner', 's3cret'] });
  const r = await fetchVia(tlsBase, { https_proxy: proxy.url.replace('http://', 'http://learner:wrong-pw@') });
  assert.is(r.code, 20, r.stderr);
  assert.match(
    r.stderr,
    `the proxy ${proxy.url.replace('http://', 'http://***@')} (https_proxy) ` +
      `rejected the user name and password in https_proxy (401 Unauthorized)`,
  );
  assert.match(r.stderr, "Put the proxy's user name and password in https_proxy");
  assert.not.match(`${r.stdout}${r.stderr}`, 'wrong-pw');
});

testWhen(
  test,
  hasTinyproxy,
  why,
  'a proxy that allows CONNECT to port 443 only refuses ours: exit 20 with its 403, and how to bypass it',
  async () => {
    proxy = await startTinyproxy({ connectPorts: [443] });
    const r = await fetchVia(tlsBase, { HTTPS_PROXY: proxy.url });
    assert.is(r.code, 20, r.stderr);
    assert.match(r.stderr, `refused to connect to 127.0.0.1:${new URL(tlsBase).port} (403 Forbidden)`);
    assert.match(r.stderr, 'no_proxy=HOST');
  },
);

testWhen(test, hasTinyproxy, why, 'no_proxy sends the mirror direct even with a proxy set', async () => {
  proxy = await startTinyproxy();
  const r = await fetchVia(tlsBase, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.0/8' });
  assert.is(r.code, 0, r.stderr);
  assert.not.match(await proxy.log(), 'CONNECT 127.0.0.1');
});

test('a proxy variable kubenet cannot use is a usage error before any work (exit 2)', async () => {
  const r = await fetchVia(tlsBase, { HTTPS_PROXY: 'socks5://learner:s3cret@127.0.0.1:1080' });
  assert.is(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    'HTTPS_PROXY=socks5://***@127.0.0.1:1080 is a socks5 proxy: kubenet speaks to HTTP proxies only',
  );
});

test.run();
