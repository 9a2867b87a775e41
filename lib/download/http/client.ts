// A minimal HTTP/1.1 GET over node:net / node:tls (connect.ts), one request per connection.
// Why not node:http: its parser and stream machinery cost about half the throughput on a fast
// link (measured 0.5× curl with hashing on).
// Every request ends: connect, TLS and the whole response head within `headMs` (through a proxy:
// connect to it, CONNECT, TLS and the head); then a body that brings no byte for `stallMs`, or
// fewer than `minBytesPerSecond` over the last `stallMs` (outside pause()), has stalled
// (stall-watch.ts).
import type net from 'node:net';
import { BodyDecoder, framingOf } from './body-decoder.js';
import { connect, type Connection, type Stage } from './connect.js';
import { shownUrl } from '../source-url.js';
import { proxyFor, shownProxy, type Proxy, type ProxyEnv } from './proxy-env.js';
import { proxyAuthorization, refusal } from './proxy-tunnel.js';
import { StallWatch, type Stall } from './stall-watch.js';
import { fromSocketError, TransferError } from './transfer-error.js';

export interface HttpResponse {
  url: URL;
  status: number;
  headers: Record<string, string>; // lower-case names; repeated fields joined with ", "
  length: number | undefined; // the body's Content-Length, when it has one
  proxy?: string; // the proxy it came through, as messages name it
  // Delivers the body; each chunk is only valid during the call (the read buffer is reused).
  consume(onChunk: (chunk: Buffer) => void): Promise<void>;
  text(limit?: number): Promise<string>;
  pause(): void; // backpressure: stop reading from the socket
  resume(): void;
  close(): void;
}

export interface Deadlines {
  headMs: number; // connect, TLS and the whole response head
  stallMs: number; // the body's progress window…
  minBytesPerSecond: number; // …and the least it must bring, on average, per second of it
}

// How every request of a download is made: its deadlines, and the proxies it may go through.
export interface RequestOptions extends Deadlines {
  proxies?: ProxyEnv; // from the environment (proxy-env.ts); none: every request goes direct
}

export interface GetOptions extends RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const maxHead = 64 * 1024;
const seconds = (ms: number) => `${ms / 1000} s`;

export function httpGet(url: URL, options: GetOptions): Promise<HttpResponse> {
  const shown = shownUrl(url);
  const proxy = proxyFor(url, options.proxies);
  const via = proxy ? shownProxy(proxy) : undefined;
  return new Promise((resolveHead, rejectHead) => {
    let onBody: ((chunk: Buffer) => void) | undefined;
    let early: Buffer[] = []; // body bytes that arrived before consume()
    let decoder: BodyDecoder | undefined;
    let head: Buffer = Buffer.alloc(0);
    let settleBody: { resolve: () => void; reject: (e: Error) => void } | undefined;
    let failure: Error | undefined;
    let finished = false;
    let paused = false; // by the consumer

    const stalled = ({ idleMs, bytes }: Stall) => {
      const why = idleMs !== undefined ? `no data for ${seconds(idleMs)}` : `${bytes} bytes in ${seconds(options.stallMs)} (less than ${options.minBytesPerSecond} bytes/s)`;
      fail(new TransferError(`stalled: ${why} from ${shown}`, { retryable: true }));
    };
    const watch = new StallWatch(options.stallMs, options.minBytesPerSecond, stalled);
    const stopTimers = () => {
      clearTimeout(headTimer);
      watch.stop();
    };
    // A TransferError is the server's or the network's doing; any other error (a full disk while
    // writing a chunk) is the consumer's, and reaches the caller as it is.
    const fail = (error: Error) => {
      if (finished || failure) return;
      failure = error;
      stopTimers();
      destroy();
      if (!decoder) rejectHead(error);
      else settleBody?.reject(error);
    };
    const finish = () => {
      if (finished || failure) return;
      finished = true;
      stopTimers();
      destroy();
      settleBody?.resolve();
    };
    const protocolError = (message: string) => new TransferError(`${message} from ${shown}`, { retryable: false });

    let consumerError: Error | undefined;
    const deliver = (chunk: Buffer) => {
      if (!onBody) return void early.push(Buffer.from(chunk)); // copy: the read buffer is about to be reused
      try {
        onBody(chunk);
      } catch (error) {
        consumerError = error as Error;
        throw error;
      }
    };
    const feedBody = (bytes: Buffer) => {
      watch.bytes(bytes.length);
      try {
        decoder!.push(bytes);
      } catch (error) {
        if (consumerError) return fail(consumerError);
        return fail(protocolError((error as Error).message)); // malformed chunked framing: it would repeat
      }
      if (decoder!.done && onBody) finish();
    };
    const onRead = (bytes: number, buffer: Buffer) => {
      const data = buffer.subarray(0, bytes);
      if (decoder) return feedBody(data);
      head = Buffer.concat([head, data]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > maxHead) fail(protocolError('response head too large'));
        return;
      }
      clearTimeout(headTimer);
      const parsed = parseHead(head.subarray(0, end).toString('latin1'));
      if (!parsed) return fail(protocolError('malformed HTTP response'));
      // Plain http through a proxy: a 407 is the proxy's own answer, never the server's.
      if (proxy && url.protocol === 'http:' && parsed.status === 407) return fail(refusal(407, url.host, proxy));
      try {
        decoder = new BodyDecoder(framingOf(parsed.status, parsed.headers, 'GET'), deliver);
      } catch (error) {
        return fail(protocolError((error as Error).message));
      }
      connection!.socket().pause(); // until the caller decides what to do with the body
      const rest = head.subarray(end + 4);
      if (rest.length > 0) feedBody(rest);
      resolveHead(response(parsed.status, parsed.headers));
    };

    let stage: Stage = 'connect';
    const destroy = () => {
      connection?.destroy();
      options.signal?.removeEventListener('abort', onAbort);
    };
    const headTimer = setTimeout(() => {
      const what = stage === 'head' ? 'no complete response head' : stage === 'tunnel' ? `no answer to CONNECT from ${via}` : `no connection to ${via ?? url.host}`;
      const reach = stage === 'connect' && !proxy ? { reach: { host: url.host, how: 'timeout' as const, why: `no connection within ${seconds(options.headMs)}` } } : {};
      fail(new TransferError(`${what} within ${seconds(options.headMs)} from ${shown}`, { retryable: true, ...reach, ...(stage === 'head' || !proxy ? {} : { proxy: proxy.from }) }));
    }, options.headMs);
    const onAbort = () => fail(new TransferError(`aborted: ${shown}`, { retryable: false, cause: options.signal?.reason }));
    let connection: Connection | undefined;
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    // The request and its response, once the socket is connected (TLS done where there is TLS).
    const exchange = (s: net.Socket, connectEvent: 'connect' | 'secureConnect') => {
      s.on('error', (error) => fail(fromSocketError(error, url, stage === 'connect' ? proxy : undefined)));
      s.on('end', () => {
        if (decoder && (decoder.done || decoder.framing.kind === 'close')) {
          decoder.done = true;
          if (onBody) finish();
          return;
        }
        const missing = decoder?.framing.kind === 'length' ? ` ${decoder.remainingBytes} bytes before the end of the body` : decoder ? ' before the end of the body' : ' before the response head was complete';
        fail(new TransferError(`connection closed${missing}: ${shown}`, { retryable: true }));
      });
      s.on('close', () => fail(new TransferError(`connection closed: ${shown}`, { retryable: true })));
      s.once(connectEvent, () => {
        stage = 'head';
        try {
          s.write(requestHead(url, options.headers ?? {}, proxy));
        } catch (error) {
          fail(error as Error);
        }
      });
    };
    connection = connect(url, proxy, { read: onRead, fail, stage: (s) => (stage = s), ready: exchange, gone: () => Boolean(failure || finished) });

    const response = (status: number, headers: Record<string, string>): HttpResponse => ({
      url,
      status,
      headers,
      ...(via ? { proxy: via } : {}),
      length: decoder!.framing.kind === 'length' ? decoder!.framing.length : undefined,
      consume(onChunk) {
        return new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure);
          settleBody = { resolve, reject };
          onBody = onChunk;
          try {
            for (const chunk of early) onChunk(chunk);
          } catch (error) {
            return fail(error as Error);
          }
          early = [];
          if (decoder!.done) return finish();
          if (paused) return;
          watch.start();
          connection!.socket().resume();
        });
      },
      async text(limit = 1 << 20) {
        const parts: Buffer[] = [];
        let size = 0;
        await this.consume((chunk) => {
          size += chunk.length;
          if (size > limit) fail(protocolError(`response larger than ${limit} bytes`));
          else parts.push(Buffer.from(chunk));
        });
        return Buffer.concat(parts).toString('utf8');
      },
      pause() {
        paused = true;
        watch.stop();
        connection?.socket().pause();
      },
      resume() {
        paused = false;
        if (finished || failure) return;
        watch.start();
        connection?.socket().resume();
      },
      close() {
        finished = true;
        stopTimers();
        destroy();
      },
    });
  });
}

// A password in the URL (a mirror's user:pass@) is sent as Basic auth, as curl and wget do.
// Through a proxy, plain http names the whole URL (without its credentials) and carries the
// proxy's own; https never does: the proxy only sees CONNECT.
function requestHead(url: URL, headers: Record<string, string>, proxy?: Proxy): string {
  const absolute = proxy && url.protocol === 'http:';
  const target = `${absolute ? `${url.protocol}//${url.host}` : ''}${url.pathname}${url.search}`;
  const lines = [`GET ${target} HTTP/1.1`, `Host: ${url.host}`, 'User-Agent: kubenet', 'Accept-Encoding: identity', 'Connection: close'];
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

function parseHead(text: string): { status: number; headers: Record<string, string> } | undefined {
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
