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
import { parseHead, requestHead } from './message-head.js';
import { shownUrl } from '../source-url.js';
import { proxyFor, shownProxy, type Proxy, type ProxyEnv } from './proxy-env.js';
import { refusal } from './proxy-tunnel.js';
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
  return new Promise((resolveHead, rejectHead) => new Exchange(url, options, { resolveHead, rejectHead }).start());
}

// Where a request is: connecting (to the server, or to its proxy), waiting for the proxy's answer
// to CONNECT, waiting for the response head, reading the body — then done, or failed.
type Phase = Stage | 'body' | 'done' | 'failed';

// One request, as a small state machine: connect → (tunnel) → head → body → done, or failed from
// any of them; nothing leaves done or failed. Until the head, a failure rejects httpGet's promise;
// after it, the body's (consume()). A TransferError is the server's or the network's doing; any
// other error (a full disk while writing a chunk) is the consumer's, and reaches the caller as it is.
class Exchange {
  private phase: Phase = 'connect';
  private readonly shown: string;
  private readonly proxy: Proxy | undefined;
  private readonly via: string | undefined; // the proxy, as messages name it
  private readonly watch: StallWatch;
  private headTimer: NodeJS.Timeout | undefined;
  private connection: Connection | undefined;
  private head: Buffer = Buffer.alloc(0);
  private decoder: BodyDecoder | undefined;
  private early: Buffer[] = []; // body bytes that arrived before consume()
  private onBody: ((chunk: Buffer) => void) | undefined;
  private settleBody: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private consumerError: Error | undefined;
  private paused = false; // by the consumer

  constructor(
    private readonly url: URL,
    private readonly options: GetOptions,
    private readonly settleHead: { resolveHead: (response: HttpResponse) => void; rejectHead: (error: Error) => void },
  ) {
    this.shown = shownUrl(url);
    this.proxy = proxyFor(url, options.proxies);
    this.via = this.proxy ? shownProxy(this.proxy) : undefined;
    this.watch = new StallWatch(options.stallMs, options.minBytesPerSecond, (stall) => this.stalled(stall));
  }

  start(): void {
    this.headTimer = setTimeout(() => this.headLate(), this.options.headMs);
    if (this.options.signal?.aborted) return this.aborted();
    this.options.signal?.addEventListener('abort', this.aborted, { once: true });
    this.connection = connect(this.url, this.proxy, {
      read: (bytes, buffer) => this.read(bytes, buffer),
      fail: (error) => this.fail(error),
      stage: (stage) => this.enter(stage),
      ready: (socket, connectEvent) => this.exchange(socket, connectEvent),
      gone: () => this.ended,
    });
  }

  private get ended(): boolean {
    return this.phase === 'done' || this.phase === 'failed';
  }

  private enter(phase: Phase): void {
    if (!this.ended) this.phase = phase;
  }

  private fail(error: Error): void {
    if (this.ended) return;
    const inBody = this.phase === 'body';
    this.phase = 'failed';
    this.failure = error;
    this.stop();
    if (inBody) this.settleBody?.reject(error);
    else this.settleHead.rejectHead(error);
  }

  private finish(): void {
    if (this.ended) return;
    this.phase = 'done';
    this.stop();
    this.settleBody?.resolve();
  }

  // Timers off, sockets closed, Ctrl-C no longer listened for.
  private stop(): void {
    clearTimeout(this.headTimer);
    this.watch.stop();
    this.connection?.destroy();
    this.options.signal?.removeEventListener('abort', this.aborted);
  }

  private readonly aborted = (): void =>
    this.fail(new TransferError(`aborted: ${this.shown}`, { retryable: false, cause: this.options.signal?.reason }));

  private protocolError(message: string): TransferError {
    return new TransferError(`${message} from ${this.shown}`, { retryable: false });
  }

  private headLate(): void {
    const { phase, proxy, via, url, options } = this;
    const within = seconds(options.headMs);
    const what =
      phase === 'head'
        ? 'no complete response head'
        : phase === 'tunnel'
          ? `no answer to CONNECT from ${via}`
          : `no connection to ${via ?? url.host}`;
    const unreached = { host: url.host, how: 'timeout' as const, why: `no connection within ${within}` };
    const reach = phase === 'connect' && !proxy ? { reach: unreached } : {};
    const blame = phase === 'head' || !proxy ? {} : { proxy: proxy.from };
    const message = `${what} within ${within} from ${this.shown}`;
    this.fail(new TransferError(message, { retryable: true, ...reach, ...blame }));
  }

  private stalled({ idleMs, bytes }: Stall): void {
    const { stallMs, minBytesPerSecond } = this.options;
    const trickle = `${bytes} bytes in ${seconds(stallMs)} (less than ${minBytesPerSecond} bytes/s)`;
    const why = idleMs !== undefined ? `no data for ${seconds(idleMs)}` : trickle;
    this.fail(new TransferError(`stalled: ${why} from ${this.shown}`, { retryable: true }));
  }

  // The request and its response, once the socket is connected (TLS done where there is TLS).
  private exchange(socket: net.Socket, connectEvent: 'connect' | 'secureConnect'): void {
    // While it connects, a socket to a proxy fails as the proxy's.
    const failedProxy = () => (this.phase === 'connect' ? this.proxy : undefined);
    socket.on('error', (error) => this.fail(fromSocketError(error, this.url, failedProxy())));
    socket.on('end', () => this.serverEnded());
    socket.on('close', () => this.fail(new TransferError(`connection closed: ${this.shown}`, { retryable: true })));
    socket.once(connectEvent, () => {
      this.enter('head');
      try {
        socket.write(requestHead(this.url, this.options.headers ?? {}, this.proxy));
      } catch (error) {
        this.fail(error as Error);
      }
    });
  }

  // The server closed its side: the end of a body framed by the close, else bytes are missing.
  private serverEnded(): void {
    const { decoder } = this;
    if (decoder && (decoder.done || decoder.framing.kind === 'close')) {
      decoder.done = true;
      if (this.onBody) this.finish();
      return;
    }
    const missing =
      decoder?.framing.kind === 'length'
        ? ` ${decoder.remainingBytes} bytes before the end of the body`
        : decoder
          ? ' before the end of the body'
          : ' before the response head was complete';
    this.fail(new TransferError(`connection closed${missing}: ${this.shown}`, { retryable: true }));
  }

  private read(bytes: number, buffer: Buffer): void {
    const data = buffer.subarray(0, bytes);
    if (this.decoder) return this.feedBody(data);
    this.head = Buffer.concat([this.head, data]);
    const end = this.head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (this.head.length > maxHead) this.fail(this.protocolError('response head too large'));
      return;
    }
    clearTimeout(this.headTimer);
    const parsed = parseHead(this.head.subarray(0, end).toString('latin1'));
    if (!parsed) return this.fail(this.protocolError('malformed HTTP response'));
    // Plain http through a proxy: a 407 is the proxy's own answer, never the server's.
    const { proxy, url } = this;
    if (proxy && url.protocol === 'http:' && parsed.status === 407) return this.fail(refusal(407, url.host, proxy));
    try {
      this.decoder = new BodyDecoder(framingOf(parsed.status, parsed.headers, 'GET'), (chunk) => this.deliver(chunk));
    } catch (error) {
      return this.fail(this.protocolError((error as Error).message));
    }
    this.enter('body');
    this.connection!.socket().pause(); // until the caller decides what to do with the body
    const rest = this.head.subarray(end + 4);
    if (rest.length > 0) this.feedBody(rest);
    this.settleHead.resolveHead(this.response(parsed.status, parsed.headers));
  }

  private feedBody(bytes: Buffer): void {
    this.watch.bytes(bytes.length);
    try {
      this.decoder!.push(bytes);
    } catch (error) {
      if (this.consumerError) return this.fail(this.consumerError);
      return this.fail(this.protocolError((error as Error).message)); // malformed chunked framing: it would repeat
    }
    if (this.decoder!.done && this.onBody) this.finish();
  }

  private deliver(chunk: Buffer): void {
    if (!this.onBody) return void this.early.push(Buffer.from(chunk)); // copy: the read buffer is about to be reused
    try {
      this.onBody(chunk);
    } catch (error) {
      this.consumerError = error as Error;
      throw error;
    }
  }

  private consume(onChunk: (chunk: Buffer) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.settleBody = { resolve, reject };
      this.onBody = onChunk;
      try {
        for (const chunk of this.early) onChunk(chunk);
      } catch (error) {
        return this.fail(error as Error);
      }
      this.early = [];
      if (this.decoder!.done) return this.finish();
      if (this.paused) return;
      this.watch.start();
      this.connection!.socket().resume();
    });
  }

  private async text(limit: number): Promise<string> {
    const parts: Buffer[] = [];
    let size = 0;
    await this.consume((chunk) => {
      size += chunk.length;
      if (size > limit) this.fail(this.protocolError(`response larger than ${limit} bytes`));
      else parts.push(Buffer.from(chunk));
    });
    return Buffer.concat(parts).toString('utf8');
  }

  private pause(): void {
    this.paused = true;
    this.watch.stop();
    this.connection?.socket().pause();
  }

  private resume(): void {
    this.paused = false;
    if (this.ended) return;
    this.watch.start();
    this.connection?.socket().resume();
  }

  private close(): void {
    this.enter('done');
    this.stop();
  }

  private response(status: number, headers: Record<string, string>): HttpResponse {
    const framing = this.decoder!.framing;
    return {
      url: this.url,
      status,
      headers,
      ...(this.via ? { proxy: this.via } : {}),
      length: framing.kind === 'length' ? framing.length : undefined,
      consume: (onChunk) => this.consume(onChunk),
      text: (limit = 1 << 20) => this.text(limit),
      pause: () => this.pause(),
      resume: () => this.resume(),
      close: () => this.close(),
    };
  }
}
