import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sshdBanner } from '../../lib/ssh/sshd-banner.js';
import { freePort } from '../../lib/ssh/free-port.js';
import { startTcpServer, type Answer, type TcpServer } from '../helpers/tcp-server.js';

const test = suite('sshdBanner');
let server: TcpServer | undefined;
test.after.each(async () => {
  await server?.close();
  server = undefined;
});
const serve = async (answer: Answer) => (server = await startTcpServer(() => answer)).port;

test("returns an sshd's version line", async () => {
  const port = await serve({ say: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' });
  assert.is(await sshdBanner('127.0.0.1', port, 5000), 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3');
});

test('skips the lines a server may send before its version line', async () => {
  const port = await serve({ say: 'welcome\r\nSSH-2.0-x\r\n' });
  assert.is(await sshdBanner('127.0.0.1', port, 5000), 'SSH-2.0-x');
});

test(
  'a port that accepts and stays silent (QEMU forwarding ' + 'to a guest not up yet) is no sshd, within the bound',
  async () => {
    const port = await serve('silent');
    assert.is(await sshdBanner('127.0.0.1', port, 300), undefined);
  },
);

test('a port that hangs up, or speaks something else, or nothing listening, is no sshd', async () => {
  assert.is(await sshdBanner('127.0.0.1', await serve('hang-up'), 5000), undefined);
  await server!.close();
  assert.is(await sshdBanner('127.0.0.1', await serve({ say: 'HTTP/1.1 400 Bad Request\r\n\r\n' }), 300), undefined);
  assert.is(await sshdBanner('127.0.0.1', await freePort(), 5000), undefined);
});

test.run();
