// https through an HTTP proxy (RFC 9110 §9.3.6): on a plain connection to the proxy, CONNECT
// HOST:PORT; a 2xx answer makes the connection a tunnel, and TLS with the server starts inside
// it, so the proxy sees neither the request nor the bytes. The caller's deadline for the response
// head covers all of it (connect, CONNECT, TLS, head).
import type net from 'node:net';
import { shownProxy, type Proxy } from './proxy-env.js';
import { TransferError } from './transfer-error.js';

const maxHead = 16 * 1024;

// Writes CONNECT on `socket` (connected to the proxy) and resolves once the proxy agreed, with
// the socket paused: the next bytes on it are TLS.
export function openTunnel(socket: net.Socket, target: URL, proxy: Proxy): Promise<void> {
  const authority = `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const done = (error?: TransferError) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onEnd = () =>
      done(
        new TransferError(`${shownProxy(proxy)} closed the connection before answering CONNECT ${authority}`, {
          retryable: true,
        }),
      );
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > maxHead)
          done(
            new TransferError(`${shownProxy(proxy)} sent a CONNECT answer larger than ${maxHead} bytes`, {
              retryable: false,
            }),
          );
        return;
      }
      socket.pause();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.toString('latin1', 0, end))?.[1];
      if (status === undefined)
        return done(
          new TransferError(`${shownProxy(proxy)} answered CONNECT ${authority} with something that is not HTTP`, {
            retryable: false,
          }),
        );
      const code = Number(status);
      if (code < 200 || code >= 300) return done(refusal(code, authority, proxy)); // its body, if any, is not read
      // The server speaks only after TLS's first message: bytes here are the proxy's, and wrong.
      if (head.length > end + 4)
        return done(
          new TransferError(
            `${shownProxy(proxy)} sent bytes after its answer to CONNECT ${authority}, before TLS began`,
            { retryable: false, proxy: proxy.from },
          ),
        );
      done();
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.write(connectRequest(authority, proxy));
  });
}

function connectRequest(authority: string, proxy: Proxy): string {
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, 'User-Agent: kubenet'];
  const auth = proxyAuthorization(proxy);
  if (auth) lines.push(`Proxy-Authorization: ${auth}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

// Basic credentials from the proxy URL's USER:PASSWORD@, or undefined.
export function proxyAuthorization(proxy: Proxy): string | undefined {
  const { username, password } = proxy.url;
  if (!username && !password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString('base64')}`;
}

// A proxy that will not tunnel (or, for plain http, answers 407 itself): what it said, in words.
export function refusal(status: number, authority: string, proxy: Proxy): TransferError {
  const who = shownProxy(proxy);
  const withCredentials = Boolean(proxy.url.username || proxy.url.password);
  // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with 401.
  const words = status === 407 ? '407 Proxy Authentication Required' : '401 Unauthorized';
  const why =
    status === 407 || status === 401
      ? withCredentials
        ? `rejected the user name and password in ${proxy.from} (${words})`
        : `wants a user name and password (${words})`
      : status === 403
        ? `refused to connect to ${authority} (403 Forbidden)`
        : `answered ${status} to CONNECT ${authority}`;
  // 502, 503, 504: the proxy could not reach the server this time; anything else will not change.
  return new TransferError(`${who} ${why}`, { retryable: status >= 500, status, proxy: proxy.from });
}
