// A real nginx (from apt) serving a folder on loopback, for tests and benchmarks.
// Its own nginx.conf in a temp dir: foreground (`daemon off`), its own pid and logs, access log
// with body bytes sent (so a caller can count re-transferred bytes), and an optional rate-limited
// /slow/ location serving the same folder. nginx cannot listen on port 0, so a free port is picked.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../lib/ssh/free-port.js';
import { startServerProcess } from './server-process.js';

export interface Nginx {
  url: string; // http://127.0.0.1:PORT/
  slowUrl: string; // same files under /slow/, at `limitRate` per connection
  // Body bytes nginx sent, per request, in log order.
  sent(): Promise<{ path: string; status: number; bytes: number }[]>;
  stop(): Promise<void>;
}

export const nginxBinary = '/usr/sbin/nginx';

export async function startNginx(root: string, { limitRate = '256k' } = {}): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'kubenet-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const accessLog = join(dir, 'access.log');
  await writeFile(
    conf,
    [
      'daemon off;',
      // As root, nginx's worker would drop to `nobody` and could not read a 0700 temp dir.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 64; }',
      'http {',
      "  log_format sent '$uri $status $body_bytes_sent';",
      `  access_log ${accessLog} sent;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, 'tmp')};`),
      '  default_type application/octet-stream;',
      '  sendfile on;',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      `    root ${root};`,
      `    location /slow/ { alias ${root}/; limit_rate ${limitRate}; }`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  // SIGQUIT: graceful, the worker finishes its log lines.
  const { stop } = await startServerProcess('nginx', [nginxBinary, '-c', conf, '-p', dir], {
    port,
    dir,
    stopSignal: 'SIGQUIT',
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    slowUrl: `http://127.0.0.1:${port}/slow/`,
    async sent() {
      const text = await readFile(accessLog, 'utf8').catch(() => '');
      return text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [path, status, bytes] = line.split(' ');
          return { path: path!, status: Number(status), bytes: Number(bytes) };
        });
    },
    stop,
  };
}
