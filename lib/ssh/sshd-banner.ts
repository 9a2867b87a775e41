// Does an sshd answer at host:port? In SSH the server speaks first ("SSH-2.0-OpenSSH_9.2p1 …"),
// so its banner proves the guest's sshd is there — not just QEMU's port forward, which accepts a
// connection at once and then holds it, silent, until the guest can answer (or drops it).
import { connect } from 'node:net';

// The server's version line, or undefined when none came within timeoutMs. `unref`: the attempt
// does not keep the process alive (a background wait that must not outlive the run).
export function sshdBanner(
  host: string,
  port: number,
  timeoutMs: number,
  { unref = false }: { unref?: boolean } = {},
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let text = '';
    const done = (banner?: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(banner);
    };
    const timer = setTimeout(() => done(), timeoutMs);
    if (unref) {
      socket.unref();
      timer.unref();
    }
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      // RFC 4253 §4.2: the server may send other lines before its version line.
      const version = text
        .split('\n')
        .slice(0, -1)
        .find((line) => line.startsWith('SSH-'));
      if (version !== undefined) done(version.trimEnd());
      else if (text.length > 8192) done();
    });
    socket.once('error', () => done());
    socket.once('close', () => done());
  });
}
