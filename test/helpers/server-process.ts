// A server a test starts from its own config in a temp folder (nginx, tinyproxy): spawned in the
// foreground, waited for on its loopback port (at most 5 s, at once with its stderr when it exits
// first), and stopped with `stopSignal` (then SIGKILL after 3 s), its temp folder removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';

export async function startServerProcess(
  name: string,
  argv: string[],
  { port, dir, stopSignal }: { port: number; dir: string; stopSignal: NodeJS.Signals },
): Promise<{ stop(): Promise<void> }> {
  const proc: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill(stopSignal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(name, port, proc, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

async function waitForPort(name: string, port: number, proc: ChildProcess, stderr: () => string): Promise<void> {
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
