// The connection a request goes over: direct (TCP, or TLS for https); to the proxy, for plain
// http through one (the request then names the whole URL); or, for https through a proxy, a plain
// connection to it that becomes a tunnel (proxy-tunnel.ts) with TLS inside. Bytes read go to
// `read`: into one reused 1 MiB buffer on a socket made here (onread: near curl's speed, flat
// memory), as 'data' chunks inside a tunnel (onread cannot take over a socket that exists).
import net from 'node:net';
import tls from 'node:tls';
import { shownProxy, type Proxy } from './proxy-env.js';
import { openTunnel } from './proxy-tunnel.js';
import { fromSocketError, TransferError } from './transfer-error.js';

export type Stage = 'connect' | 'tunnel' | 'head';

export interface ConnectEvents {
  read(bytes: number, buffer: Buffer): void;
  fail(error: Error): void;
  stage(stage: Stage): void; // 'tunnel' once connected to the proxy, while it answers CONNECT
  // send the request once connectEvent fires
  ready(socket: net.Socket, connectEvent: 'connect' | 'secureConnect'): void;
  gone(): boolean; // the request already failed or finished
}

export interface Connection {
  socket(): net.Socket; // the one the response arrives on
  destroy(): void;
}

const readBufferSize = 1 << 20;
const unbracketed = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

export function connect(url: URL, proxy: Proxy | undefined, on: ConnectEvents): Connection {
  const host = unbracketed(url.hostname);
  const https = url.protocol === 'https:';
  const to = proxy
    ? { host: unbracketed(proxy.url.hostname), port: Number(proxy.url.port) }
    : { host, port: Number(url.port) || (https ? 443 : 80) };
  const servername = net.isIP(host) ? undefined : host;
  const sockets: net.Socket[] = [];
  const connection = {
    socket: () => sockets.at(-1)!,
    destroy: () => {
      for (const s of sockets) s.destroy();
    },
  };
  if (!proxy || !https) {
    const onread = {
      buffer: Buffer.allocUnsafe(readBufferSize),
      callback: (n: number, b: Uint8Array) => (on.read(n, b as Buffer), true),
    };
    const socket = https
      ? tls.connect({ ...to, servername, onread } as tls.ConnectionOptions)
      : net.connect({ ...to, onread });
    sockets.push(socket);
    on.ready(socket, https ? 'secureConnect' : 'connect');
    return connection;
  }
  const raw = net.connect(to);
  sockets.push(raw);
  const rawError = (error: Error) => on.fail(fromSocketError(error, url, proxy));
  const rawClose = () =>
    on.fail(
      new TransferError(`${shownProxy(proxy)} closed the connection before answering CONNECT: ${url.host}`, {
        retryable: true,
        proxy: proxy.from,
      }),
    );
  raw.on('error', rawError);
  raw.on('close', rawClose);
  raw.once('connect', () => {
    on.stage('tunnel');
    openTunnel(raw, url, proxy).then(() => {
      if (on.gone()) return;
      raw.off('error', rawError);
      raw.off('close', rawClose);
      const socket = tls.connect({ socket: raw, servername });
      sockets.push(socket);
      socket.on('data', (chunk: Buffer) => on.read(chunk.length, chunk));
      on.ready(socket, 'secureConnect');
    }, on.fail);
  });
  return connection;
}
