// The port forwarded to a VM's sshd: derived from the folder and the VM the first time, then the
// recorded one on every run; --ssh-port pins another; a recorded or pinned port that is taken is
// an error naming who holds it, while a derived one moves on to the next free port.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { KubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import { chooseSshPort, derivedSshPort, sshPortFor } from '../../lib/ssh/ssh-port.js';
import { rejection } from '../helpers/rejection.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('ssh port');
let dir: ReturnType<typeof tempDir>;
let servers: Server[] = [];
test.before.each(() => {
  dir = tempDir('kubenet-ssh-port-');
});
test.after.each(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  dir.remove();
});

const paths = () => makePaths(join(dir.path, 'images'));
const record = (vm: string, port: number) => {
  mkdirSync(paths().vmDir(vm), { recursive: true });
  writeFileSync(paths().vmFile(vm, 'ssh-port'), `${port}\n`);
};
const hold = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const server = createServer();
    servers.push(server);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

test('derived: the same folder and VM give the same port, others another, below the ephemeral ranges', () => {
  const a = derivedSshPort('/home/me/images', 'ubuntu0');
  assert.is(derivedSshPort('/home/me/images', 'ubuntu0'), a);
  assert.is.not(derivedSshPort('/home/me/images', 'gateway'), a);
  assert.is.not(derivedSshPort('/home/you/images', 'ubuntu0'), a);
  for (const vm of ['ubuntu0', 'gateway', 'control0', 'worker2']) {
    const port = derivedSshPort('/x/images', vm);
    assert.ok(port >= 10_000 && port < 30_000, `${vm}: ${port}`);
  }
});

test('the first start takes the derived port; a recorded port is kept on the next', async () => {
  const first = await sshPortFor(paths(), 'ubuntu0');
  assert.equal(first, { port: derivedSshPort(paths().root, 'ubuntu0'), how: 'derived' });
  record('ubuntu0', 23456);
  assert.equal(await sshPortFor(paths(), 'ubuntu0'), { port: 23456, how: 'recorded' });
  assert.equal(await sshPortFor(paths(), 'ubuntu0', 24567), { port: 24567, how: 'pinned' });
});

test('a recorded port that is taken is an error naming the process, not another port', async () => {
  record('ubuntu0', 23457);
  await hold(23457);
  const e = await rejection(sshPortFor(paths(), 'ubuntu0'), KubenetError);
  assert.is(e.code, 10);
  assert.match(
    e.message,
    `ubuntu0's ssh port 23457 (recorded in ${paths().vmFile('ubuntu0', 'ssh-port')}) ` +
      `is taken on 127.0.0.1 by node (pid ${process.pid})`,
  );
  assert.match(e.hint!, '--ssh-port N');
});

test('a pinned port that is taken is an error too', async () => {
  await hold(23458);
  const e = await rejection(chooseSshPort({ paths: paths(), vm: 'gateway', pinned: 23458 }), KubenetError);
  assert.match(e.message, `--ssh-port 23458 is taken on 127.0.0.1 by node (pid ${process.pid})`);
});

test("a derived port that is taken, or another VM's, moves on to the next free one", async () => {
  const derived = derivedSshPort(paths().root, 'control0');
  await hold(derived);
  record('gateway', derived + 1);
  const chosen = await sshPortFor(paths(), 'control0');
  assert.equal(chosen, { port: derived + 2, how: 'derived' });
  assert.equal(
    (await sshPortFor(paths(), 'control0', undefined, [derived + 2])).port,
    derived + 3,
    'a port this run gave another VM',
  );
});

test.run();
