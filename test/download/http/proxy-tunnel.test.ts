// https through a proxy that will not tunnel: the fault server plays the proxy and answers
// CONNECT as told. Every case ends within a bound stated in its title, names the proxy without
// its password, and leaves no lock.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { fetchArtifact } from '../../../lib/download/index.js';
import { downloadFixture, fileName, type DownloadFixture } from '../../helpers/download-fixture.js';
import { rawHead, startFaultServer, type FaultServer } from '../../helpers/fault-server.js';
import { rejection } from '../../helpers/rejection.js';
import { within } from '../../helpers/within.js';

const test = suite('CONNECT through a proxy');
const upstream = 'cloud-images.example.test:443';

// The fixture's upstream is https: with no mirror, every request goes to cloud-images.example.test
// through the proxy, which is a second fault server.
async function withProxy(
  run: (
    f: DownloadFixture,
    proxy: FaultServer,
    fetch: (proxyUrl?: string, ms?: number) => Promise<KubenetError>,
  ) => Promise<void>,
): Promise<void> {
  const f = await downloadFixture(64 * 1024);
  const proxy = await startFaultServer();
  const fetch = (proxyUrl = proxy.url, ms = 10_000) => {
    const { mirror: _none, ...options } = f.options;
    const env = { HTTPS_PROXY: proxyUrl };
    return rejection(
      within(ms, 'the download', (signal) => fetchArtifact({ url: f.url }, { ...options, env, signal, headMs: 2_000 })),
      KubenetError,
    );
  };
  try {
    await run(f, proxy, fetch);
    assert.not.ok(existsSync(f.paths.lock(`download-${fileName}`)), 'no lock left');
  } finally {
    await proxy.close();
    await f.dispose();
  }
}
const connects = (proxy: FaultServer) => proxy.requests.filter((r) => r.method === 'CONNECT');

test('407 without credentials: says the proxy wants a user name and password, not retried (bound 10 s)', () =>
  withProxy(async (_f, proxy, fetch) => {
    proxy.always(upstream, { status: 407 });
    const error = await fetch();
    assert.is(error.code, ExitCode.download);
    assert.match(
      error.message,
      `the proxy ${proxy.url.replace(/\/$/, '')} (HTTPS_PROXY) wants ` +
        `a user name and password (407 Proxy Authentication Required)`,
    );
    assert.match(error.hint ?? '', 'http://USER:PASSWORD@HOST:PORT');
    assert.is(connects(proxy).length, 1, 'not retried');
    assert.is(connects(proxy)[0]!.target, upstream);
    assert.is(connects(proxy)[0]!.headers['proxy-authorization'], undefined);
  }));

test(
  '407 with credentials: sends them as Proxy-Authorization, says ' +
    'they were rejected, never shows the password (bound 10 s)',
  () =>
    withProxy(async (_f, proxy, fetch) => {
      proxy.always(upstream, { status: 407 });
      const error = await fetch(proxy.url.replace('http://', 'http://learner:s3cret@'));
      assert.match(error.message, 'rejected the user name and password in HTTPS_PROXY');
      assert.match(error.message, 'http://***@127.0.0.1');
      assert.not.match(`${error.message} ${error.hint}`, 's3cret');
      assert.is(
        connects(proxy)[0]!.headers['proxy-authorization'],
        `Basic ${Buffer.from('learner:s3cret').toString('base64')}`,
      );
    }),
);

test('403: the proxy refused to connect there, not retried (bound 10 s)', () =>
  withProxy(async (_f, proxy, fetch) => {
    proxy.always(upstream, { status: 403 });
    const error = await fetch();
    assert.match(error.message, `refused to connect to ${upstream} (403 Forbidden)`);
    assert.match(error.hint ?? '', 'no_proxy=HOST');
    assert.is(connects(proxy).length, 1);
  }));

test('502 to CONNECT (the proxy could not reach the server) is retried, then gives up (bound 10 s)', () =>
  withProxy(async (f, proxy, fetch) => {
    proxy.always(upstream, { status: 502 });
    const error = await fetch();
    assert.match(error.message, `answered 502 to CONNECT ${upstream}`);
    assert.is(connects(proxy).length, f.options.retries + 1);
  }));

test('a proxy that cannot be reached is named, with what to check, and retried (bound 10 s)', () =>
  withProxy(async (f, proxy, fetch) => {
    const gone = proxy.url;
    await proxy.close();
    const error = await fetch(gone);
    assert.match(error.message, `cannot use the proxy ${gone.replace(/\/$/, '')} (HTTPS_PROXY): ECONNREFUSED`);
    assert.match(error.hint ?? '', "Nothing answers at the proxy's address: check HTTPS_PROXY");
    assert.match(error.message, `gave up after ${f.options.retries} retries`);
  }));

test('a proxy that accepts CONNECT and never answers: each try ends at the head deadline (bound 15 s)', () =>
  withProxy(async (f, proxy, fetch) => {
    proxy.always(upstream, { raw: () => ['hang'] });
    const error = await fetch(proxy.url, 15_000);
    assert.match(error.message, 'no answer to CONNECT from the proxy');
    assert.match(error.message, 'within 2 s');
    assert.is(connects(proxy).length, f.options.retries + 1);
  }));

test('a proxy that answers CONNECT with something that is not HTTP: a protocol error, not retried (bound 10 s)', () =>
  withProxy(async (_f, proxy, fetch) => {
    proxy.always(upstream, { raw: () => ['SSH-2.0-OpenSSH_9.2\r\n\r\n'] });
    const error = await fetch();
    assert.match(error.message, `answered CONNECT ${upstream} with something that is not HTTP`);
    assert.is(connects(proxy).length, 1);
  }));

test('a proxy that sends bytes after 200 before TLS began: refused, not retried (bound 10 s)', () =>
  withProxy(async (_f, proxy, fetch) => {
    proxy.always(upstream, { raw: () => [rawHead(200, []), 'surprise'] });
    const error = await fetch();
    assert.match(error.message, 'sent bytes after its answer to CONNECT');
    assert.is(connects(proxy).length, 1);
  }));

test('a proxy that closes the connection before answering is retried (bound 10 s)', () =>
  withProxy(async (f, proxy, fetch) => {
    proxy.always(upstream, { raw: () => [] });
    const error = await fetch();
    assert.match(error.message, 'closed the connection before answering CONNECT');
    assert.is(connects(proxy).length, f.options.retries + 1);
  }));

test.run();
