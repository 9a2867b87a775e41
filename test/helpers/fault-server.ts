// A local HTTP server under a test's control, with fault injection: dropped connections, error
// statuses, stalls, trickling bodies, servers that ignore Range, files that change between requests,
// redirects — and, for hostile servers, any response written byte by byte (`raw`).
// It serves Range / If-Range / ETag / If-None-Match like a real static server. Loopback only.
// It is also a proxy for tests: a GET that names a whole URL (http://HOST/PATH, as a client sends
// through an HTTP proxy) is served from PATH, and CONNECT HOST:PORT opens a tunnel to HOST:PORT —
// unless a fault queued for the path "HOST:PORT" says otherwise ({ status: 407 }, raw bytes, …).
// Like upstream, it serves a signature beside every SHA256SUMS: /DIR/SHA256SUMS.gpg is the current
// /DIR/SHA256SUMS signed by the tests' trusted key (signing.ts), unless a test put its own there (or
// a fault says otherwise: { status: 404 } for a mirror that dropped it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { testKeys } from './signing.js';

export type Fault =
  | { status: number; html?: string } // answer with this status, and no body or this HTML page
  | { dropAfter: number } // send the head and this many body bytes, then cut the connection
  | { stallAfter: number } // send this many body bytes, then go silent (connection left open)
  | { trickle: { bytes: number; everyMs: number } } // send the body slowly
  | { ignoreRange: true } // answer 200 with the whole body whatever Range says
  | { redirect: string; code?: 301 | 302 | 303 | 307 | 308 } // answer `code` (302) with this Location, as given
  | { raw: (file: Buffer | undefined, request: ServedRequest) => RawStep[] }; // exactly these bytes, then close

// A raw response: bytes to write, pauses, and 'hang' to keep the connection open and say nothing more.
export type RawStep = string | Buffer | { waitMs: number } | 'hang';

// "HTTP/1.1 200 OK\r\nName: value\r\n…\r\n\r\n", headers exactly as given (duplicates and all).
export function rawHead(status: number, headers: [string, string | number][]): string {
  return (
    `HTTP/1.1 ${status} ` +
    `${http.STATUS_CODES[status] ?? 'Status'}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
  );
}

// Each byte of `text` on its own, `everyMs` apart.
export function oneByteAtATime(text: string, everyMs: number): RawStep[] {
  return [...text].flatMap((c) => [c, { waitMs: everyMs }]);
}

export interface ServedRequest {
  method: string;
  target: string; // as the request line has it: /PATH, http://HOST/PATH through a proxy, HOST:PORT for CONNECT
  path: string; // the URL's path; for CONNECT, HOST:PORT
  headers: http.IncomingHttpHeaders;
  status: number;
  bytes: number; // body bytes written
}

export interface FaultServer {
  url: string; // http://127.0.0.1:PORT/ — use as a mirror base
  requests: ServedRequest[];
  // each put gets a new Last-Modified (and ETag unless given)
  put(path: string, body: Buffer | string, etag?: string): void;
  fault(path: string, ...faults: Fault[]): void; // one per coming request, in order
  always(path: string, fault: Fault | undefined): void; // for every request until cleared
  close(): Promise<void>;
}

interface Served {
  body: Buffer;
  etag: string;
  lastModified: string;
}

let clock = Date.UTC(2024, 0, 1);

export async function startFaultServer(): Promise<FaultServer> {
  const files = new Map<string, Served>();
  const queued = new Map<string, Fault[]>();
  const standing = new Map<string, Fault>();
  const requests: ServedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const signedByTest = new Set<string>(); // .gpg paths this server signed itself (a test's own put replaces one)
  // The signature of the SHA256SUMS beside `path`, made (again, when SHA256SUMS changed) before it is served.
  const signature = (path: string): Promise<void> | undefined => {
    const sums = path.endsWith('/SHA256SUMS.gpg') ? files.get(path.slice(0, -'.gpg'.length)) : undefined;
    const own = files.get(path);
    if (!sums || (own && !signedByTest.has(path)) || (own && own.lastModified === sums.lastModified)) return undefined;
    return testKeys().then(async ({ trusted }) => {
      const body = await trusted.sign(sums.body);
      files.set(path, {
        body,
        etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`,
        lastModified: sums.lastModified,
      });
      signedByTest.add(path);
    });
  };
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const signing = signature(path);
    if (signing)
      return void signing.then(
        () => serve(req, res, path),
        (error: Error) => res.destroy(error),
      );
    serve(req, res, path);
  });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const record: ServedRequest = {
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      path,
      headers: req.headers,
      status: 0,
      bytes: 0,
    };
    requests.push(record);
    const fault = queued.get(path)?.shift() ?? standing.get(path);
    const file = files.get(path);
    const send = (status: number, headers: Record<string, string | number> = {}, body?: Buffer) => {
      record.status = status;
      res.writeHead(status, headers);
      if (!body) return res.end();
      writeBody(res, body, fault, record, timers);
    };
    if (fault && 'raw' in fault) return play(req.socket, fault.raw(file?.body, record), record, timers);
    if (fault && 'status' in fault) {
      if (fault.html === undefined) return send(fault.status, { 'Content-Length': 0 });
      return send(
        fault.status,
        { 'Content-Type': 'text/html; charset=iso-8859-1', 'Content-Length': Buffer.byteLength(fault.html) },
        Buffer.from(fault.html),
      );
    }
    if (fault && 'redirect' in fault)
      return send(
        fault.code ?? 302,
        { Location: fault.redirect, 'Content-Type': 'text/html' },
        Buffer.from('<a>moved</a>\n'),
      );
    if (!file) return send(404, { 'Content-Length': 0 });
    const validators = { ETag: file.etag, 'Last-Modified': file.lastModified, 'Accept-Ranges': 'bytes' };
    if (
      req.headers['if-none-match'] === file.etag ||
      (!req.headers['if-none-match'] && req.headers['if-modified-since'] === file.lastModified)
    ) {
      return send(304, validators);
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const rangeHolds = range && (!ifRange || ifRange === file.etag || ifRange === file.lastModified);
    if (range && rangeHolds && !(fault && 'ignoreRange' in fault)) {
      const start = Number(range[1]);
      if (start >= file.body.length)
        return send(416, { 'Content-Range': `bytes */${file.body.length}`, 'Content-Length': 0 });
      const part = file.body.subarray(start);
      return send(
        206,
        {
          ...validators,
          'Content-Length': part.length,
          'Content-Range': `bytes ${start}-${file.body.length - 1}/${file.body.length}`,
        },
        part,
      );
    }
    send(200, { ...validators, 'Content-Length': file.body.length }, file.body);
  };
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    const authority = req.url ?? '';
    const record: ServedRequest = {
      method: 'CONNECT',
      target: authority,
      path: authority,
      headers: req.headers,
      status: 0,
      bytes: 0,
    };
    requests.push(record);
    socket.on('error', () => undefined);
    const fault = queued.get(authority)?.shift() ?? standing.get(authority);
    if (fault && 'raw' in fault) return play(socket, fault.raw(undefined, record), record, timers);
    if (fault && 'status' in fault) {
      record.status = fault.status;
      const challenge: [string, string][] = fault.status === 407 ? [['Proxy-Authenticate', 'Basic realm="test"']] : [];
      return void socket.end(rawHead(fault.status, [...challenge, ['Content-Length', 0]]));
    }
    const [host, port] = [
      authority.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'),
      Number(/:(\d+)$/.exec(authority)?.[1] ?? 443),
    ];
    const upstream = net.connect({ host, port }, () => {
      record.status = 200;
      socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => (sockets.delete(upstream), socket.destroy()));
    upstream.on('error', () => socket.end(rawHead(502, [['Content-Length', 0]])));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    put(path, body, etag) {
      const bytes = Buffer.from(body);
      clock += 60_000;
      etag ??= `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
      files.set(path, { body: bytes, etag, lastModified: new Date(clock).toUTCString() });
      signedByTest.delete(path);
    },
    fault(path, ...faults) {
      queued.set(path, [...(queued.get(path) ?? []), ...faults]);
    },
    always(path, fault) {
      if (fault) standing.set(path, fault);
      else standing.delete(path);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function writeBody(
  res: http.ServerResponse,
  body: Buffer,
  fault: Fault | undefined,
  record: ServedRequest,
  timers: Set<NodeJS.Timeout>,
): void {
  if (fault && 'dropAfter' in fault) {
    res.write(body.subarray(0, fault.dropAfter), () => res.socket?.destroy());
    record.bytes = Math.min(fault.dropAfter, body.length);
    return;
  }
  if (fault && 'stallAfter' in fault) {
    res.write(body.subarray(0, fault.stallAfter)); // and nothing more: the client must give up
    record.bytes = Math.min(fault.stallAfter, body.length);
    return;
  }
  if (fault && 'trickle' in fault) {
    let at = 0;
    const next = () => {
      if (res.destroyed) return;
      const end = Math.min(at + fault.trickle.bytes, body.length);
      res.write(body.subarray(at, end));
      record.bytes += end - at;
      at = end;
      if (at >= body.length) return void res.end();
      const timer = setTimeout(() => (timers.delete(timer), next()), fault.trickle.everyMs);
      timers.add(timer);
    };
    return next();
  }
  record.bytes = body.length;
  res.end(body);
}

function play(socket: net.Socket, steps: RawStep[], record: ServedRequest, timers: Set<NodeJS.Timeout>): void {
  record.status = -1; // raw: whatever the steps say
  const next = (at: number): void => {
    if (socket.destroyed) return;
    const step = steps[at];
    if (step === undefined) return void socket.end();
    if (step === 'hang') return;
    if (typeof step === 'object' && 'waitMs' in step) {
      const timer = setTimeout(() => (timers.delete(timer), next(at + 1)), step.waitMs);
      return void timers.add(timer);
    }
    record.bytes += Buffer.byteLength(step);
    socket.write(step, () => next(at + 1));
  };
  next(0);
}

// A listening socket that never accepts: its backlog is full, so a new connection is never
// established (the way a blackholed address behaves; loopback has none). `url` for a mirror.
export async function startNeverAccepting(): Promise<{ url: string; close(): void }> {
  const listener = spawn(
    process.execPath,
    [
      '-e',
      `
    const s = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(s.address().port + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never returns to accept()
    });`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const fillers: net.Socket[] = [];
  const close = () => {
    for (const socket of fillers) socket.destroy();
    listener.kill('SIGKILL');
  };
  try {
    const port = Number(
      await new Promise<string>((resolve, reject) => {
        listener.stdout!.once('data', (d) => resolve(String(d).trim()));
        listener.once('exit', () => reject(new Error('the listener exited')));
      }),
    );
    // Fill the accept queue until a connection stays pending.
    for (;;) {
      const socket = net.connect({ port, host: '127.0.0.1' });
      fillers.push(socket);
      socket.on('error', () => undefined);
      const established = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        setTimeout(() => resolve(false), 300);
      });
      if (!established) break;
      if (fillers.length > 64) throw new Error('the backlog never filled');
    }
    return { url: `http://127.0.0.1:${port}/`, close };
  } catch (error) {
    close();
    throw error;
  }
}

// Puts a file and its SHA256SUMS where a mirror of https://HOST/DIR/NAME keeps them: /HOST/DIR/NAME.
export function publish(
  server: FaultServer,
  upstreamDir: string,
  name: string,
  body: Buffer,
  sums?: string,
): { url: string; sha256: string; path: string } {
  const dir = new URL(upstreamDir.endsWith('/') ? upstreamDir : `${upstreamDir}/`);
  const path = `/${dir.host}${dir.pathname}${name}`;
  const sha256 = createHash('sha256').update(body).digest('hex');
  server.put(path, body);
  server.put(`/${dir.host}${dir.pathname}SHA256SUMS`, sums ?? `${'0'.repeat(64)} *other.iso\n${sha256} *${name}\n`);
  return { url: new URL(name, dir).href, sha256, path };
}
