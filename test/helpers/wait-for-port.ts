// Waits for a server process of a test (nginx, tinyproxy) to listen on a loopback port: at most
// 5 s, and at once with its stderr when it exits first.
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export async function waitForPort(name: string, port: number, proc: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`${name} exited: ${stderr()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on 127.0.0.1:${port}: ${stderr()}`);
}
