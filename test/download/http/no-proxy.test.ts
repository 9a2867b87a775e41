// no_proxy as curl reads it, case by case. The table's answers were learned by running curl 7.88.1
// (Debian 12's) against two servers on loopback — one direct, one an HTTP proxy that records what
// it is asked — and the second test keeps them honest: it runs the real curl over the same table.
// kubenet must give curl's answer in every case, even where curl's is surprising (an entry with a
// port covers nothing; an IPv6 entry matches only as the URL writes the address, not as a block).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { bypasses, proxyEnv, proxyFor } from '../../../lib/download/http/proxy-env.js';
import { which } from '../../../lib/host/which.js';
import { testWhen } from '../../helpers/skip.js';

const test = suite('no_proxy: kubenet and curl agree');

type Way = 'direct' | 'proxy';
// [the URL's host, no_proxy, where curl sends it]. PORT is the URL's own port.
const table: [string, string, Way][] = [
  ['example.com', '', 'proxy'],
  ['example.com', '*', 'direct'],
  ['example.com', ' * ', 'proxy'], // only `*` itself is the wildcard
  ['example.com', '*,foo', 'proxy'],
  ['example.com', 'example.com', 'direct'],
  ['www.example.com', 'example.com', 'direct'],
  ['www.example.com', '.example.com', 'direct'],
  ['example.com', '.example.com', 'direct'],
  ['notexample.com', 'example.com', 'proxy'],
  ['www.example.com', '*.example.com', 'proxy'],
  ['example.com', 'EXAMPLE.COM', 'direct'],
  ['example.com.', 'example.com', 'direct'],
  ['example.com', 'example.com.', 'direct'],
  ['example.com', 'example.com:PORT', 'proxy'], // a port in an entry: it covers nothing, even the URL's own port
  ['example.com', 'example.com:443', 'proxy'],
  ['other.org', 'example.com, other.org', 'direct'],
  ['other.org', 'example.com\tother.org', 'direct'],
  ['localhost', 'localhost', 'direct'],
  ['127.0.0.1', '127.0.0.1', 'direct'],
  ['127.0.0.1', '127.0.0.1:PORT', 'proxy'],
  ['127.0.0.1', '127.0.0.0/8', 'direct'],
  ['127.0.0.1', '10.0.0.0/8', 'proxy'],
  ['127.0.0.1', '127.0.0.0/0', 'proxy'],
  ['127.0.0.1', 'localhost', 'proxy'], // no name is resolved
  ['localhost', '127.0.0.1', 'proxy'],
  ['[::1]', '::1', 'direct'],
  ['[::1]', '[::1]', 'proxy'], // brackets in an entry: it covers nothing
  ['[::1]', '[::1]:PORT', 'proxy'],
  ['[::1]', '::1/128', 'proxy'], // no IPv6 blocks
  ['[::1]', '0:0:0:0:0:0:0:1', 'proxy'], // compared as written, not as an address
  ['[::ffff:7f00:1]', '::FFFF:7F00:1', 'direct'],
];
const withPort = (entry: string, port: number) => entry.replaceAll('PORT', String(port));

// Which variable holds the list, for example.com: the lower case wins unless it is empty.
const envTable: [NodeJS.ProcessEnv, Way][] = [
  [{ NO_PROXY: 'example.com' }, 'direct'],
  [{ no_proxy: '', NO_PROXY: 'example.com' }, 'direct'],
  [{ no_proxy: 'other.org', NO_PROXY: 'example.com' }, 'proxy'],
];

for (const [vars, way] of envTable) {
  test(`kubenet: example.com with ${JSON.stringify(vars)} goes ${way}`, () => {
    assert.is(
      proxyFor(new URL('https://example.com/'), proxyEnv({ https_proxy: 'http://127.0.0.1:3128', ...vars }))
        ? 'proxy'
        : 'direct',
      way,
    );
  });
}

for (const [host, list, way] of table) {
  test(`kubenet: ${host} with no_proxy ${JSON.stringify(list)} goes ${way}`, () => {
    assert.is(bypasses(new URL(`https://${host}:8443/`).hostname, withPort(list, 8443)) ? 'direct' : 'proxy', way);
  });
}

const listen = (server: http.Server, host: string, port = 0) =>
  new Promise<number>((resolve) => server.listen(port, host, () => resolve((server.address() as AddressInfo).port)));

testWhen(
  test,
  which('curl'),
  'curl is not installed (apt-get install curl)',
  `curl itself gives every answer in the tables (${table.length + envTable.length} cases)`,
  async () => {
    let asked = 0;
    const proxy = http.createServer((_, res) => (asked++, res.end('proxy')));
    const direct = http.createServer((_, res) => res.end('direct'));
    const direct6 = http.createServer((_, res) => res.end('direct'));
    try {
      const proxyPort = await listen(proxy, '127.0.0.1');
      const port = await listen(direct, '127.0.0.1');
      await listen(direct6, '::1', port);
      const version = (await promisify(execFile)('curl', ['--version'])).stdout.split('\n')[0];
      const names = ['example.com', 'www.example.com', 'notexample.com', 'other.org', 'example.com.', 'localhost'];
      const wrong: string[] = [];
      const curlGoes = async (host: string, vars: NodeJS.ProcessEnv): Promise<Way> => {
        const before = asked;
        await promisify(execFile)(
          'curl',
          [
            '-s',
            '-m',
            '5',
            ...names.flatMap((n) => ['--resolve', `${n}:${port}:127.0.0.1`]),
            `http://${host}:${port}/`,
          ],
          {
            env: { PATH: process.env.PATH, http_proxy: `http://127.0.0.1:${proxyPort}`, ...vars },
          },
        ).catch(() => undefined);
        return asked > before ? 'proxy' : 'direct';
      };
      for (const [host, list, way] of table) {
        const curl = await curlGoes(host, { no_proxy: withPort(list, port) });
        if (curl !== way)
          wrong.push(`${host} with no_proxy ${JSON.stringify(list)}: curl goes ${curl}, the table says ${way}`);
      }
      for (const [vars, way] of envTable) {
        const curl = await curlGoes('example.com', vars);
        if (curl !== way)
          wrong.push(`example.com with ${JSON.stringify(vars)}: curl goes ${curl}, the table says ${way}`);
      }
      assert.equal(wrong, [], `${version}:\n${wrong.join('\n')}`);
    } finally {
      for (const s of [proxy, direct, direct6]) s.close();
    }
  },
);

test.run();
