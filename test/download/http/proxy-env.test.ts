import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { proxyEnv, proxyFor, shownProxy } from '../../../lib/download/http/proxy-env.js';
import { ExitCode, KubenetError } from '../../../lib/errors.js';

const env = suite('proxyEnv');

const pick = (vars: NodeJS.ProcessEnv, url: string) => {
  const proxy = proxyFor(new URL(url), proxyEnv(vars));
  return proxy && `${proxy.url.host} ${proxy.from}`;
};

for (const [vars, url, expected] of [
  [{ https_proxy: 'http://p1:3128' }, 'https://h.example/x', 'p1:3128 https_proxy'],
  [{ HTTPS_PROXY: 'http://p2:3128' }, 'https://h.example/x', 'p2:3128 HTTPS_PROXY'],
  [{ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'https://h.example/x', 'lower:1 https_proxy'],
  [{ https_proxy: '', HTTPS_PROXY: 'http://upper:2' }, 'https://h.example/x', 'upper:2 HTTPS_PROXY'],
  [{ http_proxy: 'http://p3:8080' }, 'http://mirror.lan/x', 'p3:8080 http_proxy'],
  [{ HTTP_PROXY: 'http://p4:8080' }, 'http://mirror.lan/x', 'p4:8080 HTTP_PROXY'],
  [{ http_proxy: 'http://p3:8080' }, 'https://h.example/x', undefined],
  [{ https_proxy: 'http://p1:3128' }, 'http://mirror.lan/x', undefined],
  [{ ALL_PROXY: 'http://all:9' }, 'https://h.example/x', 'all:9 ALL_PROXY'],
  [{ all_proxy: 'http://all:9', https_proxy: 'http://p1:1' }, 'https://h.example/x', 'p1:1 https_proxy'],
  [{ https_proxy: 'proxy.lan' }, 'https://h.example/x', 'proxy.lan:1080 https_proxy'],
  [{ https_proxy: 'proxy.lan:3128' }, 'https://h.example/x', 'proxy.lan:3128 https_proxy'],
  [{ https_proxy: 'http://[::1]:3128' }, 'https://h.example/x', '[::1]:3128 https_proxy'],
  [{}, 'https://h.example/x', undefined],
] as const) {
  env(`${JSON.stringify(vars)} sends ${url} ${expected ? `through ${expected}` : 'direct'}`, () => {
    assert.is(pick(vars, url), expected);
  });
}

env('no_proxy wins over NO_PROXY, and either sends a host direct', () => {
  assert.is(
    pick({ https_proxy: 'http://p:1', no_proxy: 'h.example', NO_PROXY: 'other' }, 'https://h.example/x'),
    undefined,
  );
  assert.is(pick({ https_proxy: 'http://p:1', NO_PROXY: 'h.example' }, 'https://h.example/x'), undefined);
  assert.is(
    pick({ https_proxy: 'http://p:1', no_proxy: 'other', NO_PROXY: 'h.example' }, 'https://h.example/x'),
    'p:1 https_proxy',
  );
});

for (const bad of ['socks5://p:1080', 'https://p:3128', 'http://', 'http://[bad']) {
  env(`a proxy kubenet cannot use (${bad}) is a usage error naming the variable`, () => {
    assert.throws(
      () => proxyEnv({ https_proxy: bad }),
      (e: unknown) => e instanceof KubenetError && e.code === ExitCode.usage && e.message.startsWith('https_proxy='),
    );
  });
}

env('a proxy password is kept for Proxy-Authorization and never shown', () => {
  const proxy = proxyEnv({ HTTPS_PROXY: 'http://me:s3cret@p.lan:3128' }).https!;
  assert.is(proxy.url.password, 's3cret');
  assert.is(shownProxy(proxy), 'the proxy http://***@p.lan:3128 (HTTPS_PROXY)');
  assert.throws(
    () => proxyEnv({ HTTPS_PROXY: 'socks5://me:s3cret@p.lan' }),
    (e: unknown) => e instanceof KubenetError && !e.message.includes('s3cret'),
  );
});

env.run();

// bypasses (no_proxy): test/download/http/no-proxy.test.ts, a table checked against the real curl.
