import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { waitForSshd, type WaitForSshdInput } from '../../lib/ssh/wait-for-sshd.js';
import { startTcpServer, type Answer, type TcpServer } from '../helpers/tcp-server.js';

const test = suite('waitForSshd');
let server: TcpServer | undefined;
test.after.each(async () => {
  await server?.close();
  server = undefined;
});

async function input(answer: (n: number) => Answer, overrides: Partial<WaitForSshdInput> = {}) {
  server = await startTcpServer(answer);
  const said: string[] = [];
  const base: WaitForSshdInput = {
    vm: 'ubuntu0',
    target: { host: '127.0.0.1', port: server.port, key: 'k', knownHosts: 'kh', alias: 'ubuntu0' },
    waitMs: 10_000,
    serialLog: 'images/vm/ubuntu0/serial.log',
    running: async () => true,
    say: (line) => said.push(line),
    pollMs: 20,
    attemptMs: 200,
    ...overrides,
  };
  return { base, said };
}

async function rejection(p: Promise<unknown>): Promise<KubenetError> {
  try {
    await p;
  } catch (error) {
    assert.instance(error, KubenetError);
    return error as KubenetError;
  }
  throw new Error('expected a rejection');
}

test('an sshd that answers at once: no message, no wait', async () => {
  const { base, said } = await input(() => ({ say: 'SSH-2.0-OpenSSH_9.2\r\n' }));
  await waitForSshd(base);
  assert.equal(said, []);
});

test(
  'while the guest boots, says once what it waits for ' + 'and where to look, then goes on when sshd answers',
  async () => {
    // QEMU's forward: silent while the guest has no address, then hang-ups while sshd is not up.
    const { base, said } = await input((n) =>
      n < 2 ? 'silent' : n < 4 ? 'hang-up' : { say: 'SSH-2.0-OpenSSH_9.2\r\n' },
    );
    await waitForSshd(base);
    assert.is(said.length, 2, said.join('\n'));
    assert.is(
      said[0],
      `waiting for sshd on 127.0.0.1:${base.target.port} — ` +
        'cloud-init is still running, see images/vm/ubuntu0/serial.log',
    );
    assert.match(said[1]!, `sshd on 127.0.0.1:${base.target.port} answered after`);
  },
);

test('gives up at the bound with what to do next (the bound here: 0.5 s)', async () => {
  const { base } = await input(() => 'silent', { waitMs: 500 });
  const error = await rejection(waitForSshd(base));
  assert.is(error.code, ExitCode.vm);
  assert.match(error.message, `no sshd answered on 127.0.0.1:${base.target.port} within 1 s`);
  assert.match(error.hint ?? '', '--wait SECONDS');
  assert.match(error.hint ?? '', 'images/vm/ubuntu0/serial.log');
});

test('--wait 0 checks once and does not wait', async () => {
  const { base, said } = await input(() => 'hang-up', { waitMs: 0 });
  await rejection(waitForSshd(base));
  assert.equal(said, []);
  assert.is(server!.connections, 1);
});

test('stops waiting when the VM stops', async () => {
  let checks = 0;
  const { base } = await input(() => 'hang-up', { running: async () => ++checks < 3 });
  const error = await rejection(waitForSshd(base));
  assert.is(error.message, 'ubuntu0 stopped before its sshd answered');
});

test.run();
