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
    noProxy: variable(env, 'no_proxy')?.value ?? '',
  };
}

// The proxy for this URL, or undefined to connect directly.
export function proxyFor(url: URL, proxies: ProxyEnv | undefined): Proxy | undefined {
  const proxy = url.protocol === 'https:' ? proxies?.https : url.protocol === 'http:' ? proxies?.http : undefined;
  if (!proxy || bypasses(url.hostname, proxies!.noProxy)) return undefined;
  return proxy;
}

// How a proxy is named in messages: its URL without the password, and where it came from.
export const shownProxy = (proxy: Proxy): string => `the proxy ${shownUrl(proxy.url).replace(/\/$/, '')} (${proxy.from})`;

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
      hint: `Set ${from} to an HTTP proxy as http://[USER:PASSWORD@]HOST:PORT (kubenet, like curl, tunnels https through it with CONNECT; %-encode special characters in the password), or unset it to connect directly.`,
    });
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw bad('is not a proxy URL', cause);
  }
  if (hasStrayAt(withScheme, url)) throw bad(strayAt);
  if (url.protocol !== 'http:') throw bad(`is a ${url.protocol.replace(':', '')} proxy: kubenet speaks to HTTP proxies only`);
  if (!url.hostname) throw bad('names no host');
  if (url.port === '') url.port = '1080';
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return { url, from };
}

// no_proxy as curl reads it: `*` alone sends everything direct; otherwise a list of names and
// addresses, split at commas and blanks. A name covers itself and every name under it
// (example.com and .example.com both cover www.example.com, not notexample.com), without regard
// to case or a trailing dot. A host that is an IP address is compared with the entries that are
// addresses, each optionally a CIDR block (10.0.0.0/8, fd00::/8). Ports play no part: an entry
// covers its host on every port (curl ignores the URL's port; an entry's own :PORT is dropped).
export function bypasses(hostname: string, noProxy: string): boolean {
  const list = noProxy.trim();
  if (list === '') return false;
  if (list === '*') return true;
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const family = isIP(host);
  const name = family ? host : host.replace(/\.$/, '');
  for (const raw of list.split(/[\s,]+/)) {
    const entry = withoutPort(raw.toLowerCase());
    if (entry === '') continue;
    if (family) {
      if (addressMatches(name, family, entry)) return true;
      continue;
    }
    const domain = entry.replace(/\.$/, '').replace(/^\./, '');
    if (domain !== '' && (name === domain || name.endsWith(`.${domain}`))) return true;
  }
  return false;
}

function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?(\/\d+)?$/.exec(entry);
  if (bracketed) return `${bracketed[1]}${bracketed[2] ?? ''}`;
  return /^[^:]*:\d+$/.test(entry) ? entry.replace(/:\d+$/, '') : entry; // one colon: name:port or v4:port
}

function addressMatches(address: string, family: number, entry: string): boolean {
  const [network = '', bitsText] = entry.split('/');
  if (isIP(network) !== family) return false;
  const width = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const a = addressBits(address, family);
  const n = addressBits(network, family);
  const shift = BigInt(width - bits);
  return a >> shift === n >> shift;
}

function addressBits(address: string, family: number): bigint {
  if (family === 4) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  const [head = '', tail] = address.split('::');
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const toGroups = (text: string) => groups(text).flatMap((g) => (g.includes('.') ? v4Groups(g) : [g]));
  const front = toGroups(head);
  const back = tail === undefined ? [] : toGroups(tail);
  const all = [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return all.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

// The last 32 bits of an IPv6 address written as IPv4 (::ffff:10.0.0.1).
function v4Groups(v4: string): string[] {
  const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
