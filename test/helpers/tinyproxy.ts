// A real HTTP proxy (tinyproxy, from apt) on loopback, for tests and benchmarks: its own config in
// a temp dir, in the foreground, logging every request (CONNECT included), optionally with Basic
// auth or CONNECT limited to some ports. tinyproxy cannot listen on port 0, so a free port is picked.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../lib/ssh/free-port.js';
import { startServerProcess } from './server-process.js';

export interface Tinyproxy {
  url: string; // http://127.0.0.1:PORT (no credentials)
  log(): Promise<string>; // what it logged: "Request (file descriptor 5): CONNECT 127.0.0.1:PORT HTTP/1.1", …
  stop(): Promise<void>;
}

export const tinyproxyBinary = '/usr/bin/tinyproxy';
export const hasTinyproxy = existsSync(tinyproxyBinary) && spawnSync(tinyproxyBinary, ['-v']).status === 0;

export async function startTinyproxy({
  basicAuth,
  connectPorts,
}: {
  basicAuth?: [string, string];
  connectPorts?: number[];
} = {}): Promise<Tinyproxy> {
  const dir = await mkdtemp(join(tmpdir(), 'kubenet-tinyproxy-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  await writeFile(
    join(dir, 'tinyproxy.conf'),
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 60',
      'MaxClients 32',
      'LogLevel Connect',
      `LogFile "${logFile}"`,
      `PidFile "${join(dir, 'tinyproxy.pid')}"`,
      ...(connectPorts ?? []).map((p) => `ConnectPort ${p}`), // none: CONNECT to any port
      ...(basicAuth ? [`BasicAuth ${basicAuth[0]} ${basicAuth[1]}`] : []),
      '',
    ].join('\n'),
  );
  const { stop } = await startServerProcess('tinyproxy', [tinyproxyBinary, '-d', '-c', join(dir, 'tinyproxy.conf')], {
    port,
    dir,
    stopSignal: 'SIGTERM',
  });
  return { url: `http://127.0.0.1:${port}`, log: () => readFile(logFile, 'utf8').catch(() => ''), stop };
}
