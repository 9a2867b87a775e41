// A loopback TCP server whose behaviour per connection a test scripts: say a banner, stay
// silent, or hang up — what QEMU's port forward and a guest's sshd do while a guest boots.
import { createServer, type Socket } from 'node:net';

export type Answer = { say: string } | 'silent' | 'hang-up';

export interface TcpServer {
  port: number;
  connections: number;
  close(): Promise<void>;
}

// `answer` is asked once per connection, with the connection's number (0, 1, …).
export async function startTcpServer(answer: (n: number) => Answer): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const a = answer(state.connections++);
    if (a === 'hang-up') socket.destroy();
    else if (a !== 'silent') socket.write(a.say);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    port: address.port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
