// The root-free network's switch: a unix socket that each VM's QEMU connects to
// (`-netdev stream,addr.type=unix,addr.path=…`), one Ethernet frame per message, each prefixed
// with its length (4 bytes, big-endian) as QEMU's stream backend sends them. It learns which
// port each MAC is on, forwards a frame to its port (or floods it), and hands the host side the
// frames for it. No root: nothing here touches the host's network.
import { createServer, type Server, type Socket } from 'node:net';
import { broadcastMac, macBytes, macText } from './packets.js';

export interface Switch {
  server: Server;
  ports(): number;
  close(): Promise<void>;
}

// Reads length-prefixed frames from a stream, whatever its chunks.
export function frameReader(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (pending.length < 4 + length) break;
      onFrame(pending.subarray(4, 4 + length));
      pending = pending.subarray(4 + length);
    }
  };
}

export const framed = (frame: Buffer): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(frame.length);
  return Buffer.concat([head, frame]);
};

export function startSwitch(path: string, hostMac: string, host: (frame: Buffer) => Buffer[]): Promise<Switch> {
  const ports = new Set<Socket>();
  const where = new Map<string, Socket>(); // MAC → the port it was last seen on
  const own = macBytes(hostMac);
  const deliver = (frame: Buffer, from: Socket | undefined) => {
    const dst = frame.subarray(0, 6);
    const flood = (dst[0]! & 1) === 1; // broadcast and multicast
    if (!flood && dst.equals(own)) return answer(frame);
    const port = flood ? undefined : where.get(macText(dst));
    if (port) return void port.write(framed(frame));
    for (const p of ports) if (p !== from) p.write(framed(frame));
    if (flood && from) answer(frame);
  };
  const answer = (frame: Buffer) => {
    for (const reply of host(frame)) deliver(reply, undefined);
  };
  const server = createServer((socket) => {
    ports.add(socket);
    socket.on(
      'data',
      frameReader((frame) => {
        if (frame.length < 14) return;
        const src = frame.subarray(6, 12);
        if (!src.equals(broadcastMac)) where.set(macText(src), socket);
        deliver(frame, socket);
      }),
    );
    const gone = () => {
      ports.delete(socket);
      for (const [mac, port] of where) if (port === socket) where.delete(mac);
    };
    socket.once('close', gone);
    socket.on('error', gone);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () =>
      resolve({
        server,
        ports: () => ports.size,
        close: () =>
          new Promise((done) => {
            for (const p of ports) p.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}
