// Which proxy a request goes through, from the environment, as curl reads it: https_proxy for
// https URLs, http_proxy for http ones, all_proxy for both, each in lower or upper case (the lower
// case wins; curl alone ignores upper-case HTTP_PROXY), and no_proxy naming what goes direct.
// A proxy is http://[USER:PASSWORD@]HOST[:PORT] (the scheme may be left out; the port defaults to
// 1080, as in curl); its password becomes Proxy-Authorization and never reaches a message.
import { isIP } from 'node:net';
import { ExitCode, KubenetError } from '../../errors.js';
import { hasStrayAt, shownUrl, strayAt } from '../source-url.js';

export interface Proxy {
  url: URL; // http://HOST:PORT, with its credentials
  from: string; // the variable that named it: HTTPS_PROXY, http_proxy, …
}

export interface ProxyEnv {
  https?: Proxy;
  http?: Proxy;
  noProxy: string; // no_proxy / NO_PROXY as given
}

// Reads and checks the variables once per download: a proxy kubenet cannot use is a usage error
// before any work, not a network failure after it.
export function proxyEnv(env: NodeJS.ProcessEnv): ProxyEnv {
  const all = variable(env, 'all_proxy');
  const https = variable(env, 'https_proxy') ?? all;
  const http = variable(env, 'http_proxy') ?? all;
  return {
    ...(https ? { https: parseProxy(https.value, https.from) } : {}),
    ...(http ? { http: parseProxy(http.value, http.from) } : {}),
    // as given: curl does not trim it (" * " is no wildcard); an empty no_proxy gives way
    noProxy: env.no_proxy || env.NO_PROXY || '',
  };
}

// The proxy for this URL, or undefined to connect directly.
export function proxyFor(url: URL, proxies: ProxyEnv | undefined): Proxy | undefined {
  const proxy = url.protocol === 'https:' ? proxies?.https : url.protocol === 'http:' ? proxies?.http : undefined;
  if (!proxy || bypasses(url.hostname, proxies!.noProxy)) return undefined;
  return proxy;
}

// How a proxy is named in messages: its URL without the password, and where it came from.
export const shownProxy = (proxy: Proxy): string =>
  `the proxy ${shownUrl(proxy.url).replace(/\/$/, '')} (${proxy.from})`;

function variable(env: NodeJS.ProcessEnv, lower: string): { value: string; from: string } | undefined {
  for (const name of [lower, lower.toUpperCase()]) {
    const value = env[name]?.trim();
    if (value) return { value, from: name };
  }
  return undefined;
}

function parseProxy(value: string, from: string): Proxy {
  const bad = (why: string, cause?: unknown) =>
    new KubenetError(`${from}=${shownUrl(value)} ${why}`, {
      code: ExitCode.usage,
      ...(cause === undefined ? {} : { cause }),
      hint:
        `Set ${from} to an HTTP proxy as http://[USER:PASSWORD@]HOST:PORT (kubenet, like curl, tunnels https ` +
        `through it with CONNECT; %-encode special characters in the password), or unset it to connect directly.`,
    });
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw bad('is not a proxy URL', cause);
  }
  if (hasStrayAt(withScheme, url)) throw bad(strayAt);
  if (url.protocol !== 'http:')
    throw bad(`is a ${url.protocol.replace(':', '')} proxy: kubenet speaks to HTTP proxies only`);
  if (!url.hostname) throw bad('names no host');
  if (url.port === '') url.port = '1080';
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return { url, from };
}

// no_proxy as curl reads it — curl 7.88.1, Debian 12's, whose answers test/download/http/
// no-proxy.test.ts checks against the real curl: `*` alone (exactly) sends everything direct;
// otherwise a list split at commas and blanks, without regard to case. For a host name, an entry
// (one leading and one trailing dot dropped) covers itself and every name under it (example.com
// and .example.com both cover www.example.com, not notexample.com); the URL's port plays no part,
// and an entry with a port of its own (example.com:443) covers nothing. An IPv4 host is covered by
// an address or a CIDR block (10.0.0.0/8; /0 and names cover nothing). An IPv6 host is covered
// only by itself, written as the URL's host is but without brackets (::1 covers [::1]; [::1],
// ::1/128 and 0:0:0:0:0:0:0:1 do not).
export function bypasses(hostname: string, noProxy: string): boolean {
  if (noProxy === '*') return true;
  const host = hostname.toLowerCase();
  const v6 = /^\[(.*)\]$/.exec(host)?.[1];
  const v4 = v6 === undefined && isIP(host) === 4;
  const name = host.replace(/\.$/, '');
  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (raw === '') continue;
    if (v6 !== undefined) {
      if (raw === v6) return true;
    } else if (v4) {
      if (inBlock(host, raw)) return true;
    } else {
      const domain = raw.replace(/^\./, '').replace(/\.$/, '');
      if (domain !== '' && (name === domain || name.endsWith(`.${domain}`))) return true;
    }
  }
  return false;
}

// An IPv4 address against an entry ADDRESS[/BITS] (BITS 1 to 32; none, or an empty one, is 32).
function inBlock(address: string, entry: string): boolean {
  const m = /^([\d.]+)(?:\/(\d*))?$/.exec(entry);
  if (!m || isIP(m[1]!) !== 4) return false;
  const bits = m[2] ? Number(m[2]) : 32;
  if (!(bits >= 1 && bits <= 32)) return false;
  const value = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const block = 2 ** (32 - bits);
  return Math.floor(value(address) / block) === Math.floor(value(m[1]!) / block);
}
