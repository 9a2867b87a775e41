// The heads of an HTTP/1.1 exchange, as bytes: the request kubenet sends, and the response head
// it parses (status and header fields; the body's framing is body-decoder.ts's).
import type { Proxy } from './proxy-env.js';
import { proxyAuthorization } from './proxy-tunnel.js';
import { TransferError } from './transfer-error.js';

// A password in the URL (a mirror's user:pass@) is sent as Basic auth, as curl and wget do.
// Through a proxy, plain http names the whole URL (without its credentials) and carries the
// proxy's own; https never does: the proxy only sees CONNECT.
export function requestHead(url: URL, headers: Record<string, string>, proxy?: Proxy): string {
  const absolute = proxy && url.protocol === 'http:';
  const target = `${absolute ? `${url.protocol}//${url.host}` : ''}${url.pathname}${url.search}`;
  const lines = [`GET ${target} HTTP/1.1`, `Host: ${url.host}`, 'User-Agent: kubenet', 'Accept-Encoding: identity'];
  lines.push('Connection: close');
  const proxyAuth = absolute ? proxyAuthorization(proxy) : undefined;
  if (proxyAuth) lines.push(`Proxy-Authorization: ${proxyAuth}`);
  if (url.username || url.password) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    lines.push(`Authorization: Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name + value)) throw new TransferError(`header ${name} holds a line break`, { retryable: false });
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export function parseHead(text: string): { status: number; headers: Record<string, string> } | undefined {
  const [statusLine, ...lines] = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value; // RFC 9110 §5.3
  }
  return { status: Number(match[1]), headers };
}
