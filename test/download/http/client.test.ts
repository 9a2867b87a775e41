// The HTTP client with and without a proxy: plain http through a proxy names the whole URL and
// carries the proxy's credentials; no_proxy sends a host direct. The fault server plays the proxy.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { fetchArtifact } from '../../../lib/download/index.js';
import { downloadFixture, fileName, type DownloadFixture } from '../../helpers/download-fixture.js';
import { startFaultServer } from '../../helpers/fault-server.js';
import { rejection } from '../../helpers/rejection.js';
import { within } from '../../helpers/within.js';

const test = suite('httpGet through a proxy');

async function withFixture(run: (f: DownloadFixture) => Promise<void>): Promise<void> {
  const f = await downloadFixture(300_000);
  try {
    await run(f);
  } finally {
    await f.dispose();
  }
}

// A mirror whose name resolves nowhere: only a proxy can reach it.
const unreachableMirror = 'http://mirror.example.test/';

test(
  'plain http goes through http_proxy as an absolute-URI ' + 'request with Proxy-Authorization; the download verifies',
  () =>
    withFixture(async (f) => {
      const proxy = f.server.url.replace('http://', 'http://learner:s3cret@');
      const result = await fetchArtifact(
        { url: f.url },
        { ...f.options, mirror: unreachableMirror, env: { http_proxy: proxy } },
      );
      assert.is(result.sha256, f.sha256);
      assert.ok((await readFile(result.path)).equals(f.body));
      const get = f.server.requests.find((r) => r.path === f.path)!;
      assert.is(get.target, `${unreachableMirror}cloud-images.example.test/jammy/current/${fileName}`);
      assert.is(get.headers.host, 'mirror.example.test');
      assert.is(get.headers['proxy-authorization'], `Basic ${Buffer.from('learner:s3cret').toString('base64')}`);
    }),
);

test('a mirror password goes to the server as Authorization, never to the proxy as its own', () =>
  withFixture(async (f) => {
    await fetchArtifact(
      { url: f.url },
      { ...f.options, mirror: 'http://me:pw@mirror.example.test/', env: { http_proxy: f.server.url } },
    );
    const get = f.server.requests.find((r) => r.path === f.path)!;
    assert.is(
      get.target,
      `http://mirror.example.test/cloud-images.example.test/jammy/current/${fileName}`,
      'the request line carries no credentials',
    );
    assert.is(get.headers.authorization, `Basic ${Buffer.from('me:pw').toString('base64')}`);
    assert.is(get.headers['proxy-authorization'], undefined);
  }));

test('407 from the proxy for plain http is the proxy speaking: named as such, not retried (bound 10 s)', () =>
  withFixture(async (f) => {
    f.server.always(f.path.replace(fileName, 'SHA256SUMS'), { status: 407 });
    const error = await rejection(
      within(10_000, 'the download', (signal) =>
        fetchArtifact(
          { url: f.url },
          { ...f.options, signal, mirror: unreachableMirror, env: { HTTP_PROXY: f.server.url } },
        ),
      ),
      KubenetError,
    );
    assert.is(error.code, ExitCode.download);
    assert.match(
      error.message,
      `the proxy ${f.server.url.replace(/\/$/, '')} (HTTP_PROXY) wants a user name and password`,
    );
    assert.is(f.server.requests.length, 1);
  }));

test('no_proxy sends the mirror direct: a proxy that is not there is never tried', async () => {
  const dead = await startFaultServer();
  const deadUrl = dead.url;
  await dead.close();
  await withFixture(async (f) => {
    const result = await fetchArtifact(
      { url: f.url },
      { ...f.options, env: { http_proxy: deadUrl, no_proxy: 'localhost,127.0.0.1' } },
    );
    assert.is(result.sha256, f.sha256);
    assert.is(
      f.server.requests.find((r) => r.path === f.path)!.target,
      `/cloud-images.example.test/jammy/current/${fileName}`,
    );
  });
});

test('without proxy variables every request goes direct', () =>
  withFixture(async (f) => {
    await fetchArtifact({ url: f.url }, { ...f.options, env: {} });
    assert.ok(
      f.server.requests.every((r) => r.target.startsWith('/') && r.headers['proxy-authorization'] === undefined),
    );
  }));

test.run();
