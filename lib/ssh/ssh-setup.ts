// The guide's vmsshsetup.sh for one VM, without nc, sed or the user's ~/.ssh/known_hosts: wait
// until its sshd accepts connections, record its host keys in the VM's own known_hosts (a reset
// VM has new keys: the file is replaced, never appended to), then wait until ubuntu can log in
// (cloud-init may still be setting the key up when sshd already answers). Every try is bounded;
// the caller bounds the whole wait (its signal).
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Paths } from '../paths.js';
import { sshArgv } from './ssh-target.js';

const run = promisify(execFile);

export interface SshSetup {
  paths: Paths;
  vm: string;
  address: string;
  signal: AbortSignal;
  note(line: string): void;
}

export async function sshSetup({ paths, vm, address, signal, note }: SshSetup): Promise<void> {
  while (!(await answers(address, 22, 10_000))) await sleep(1000, undefined, { signal });
  note(`${vm}: sshd answers on ${address}:22`);
  const { stdout } = await run('ssh-keyscan', ['-T', '10', address], { signal });
  await writeFileAtomic(join(paths.vmDir(vm), 'known_hosts'), stdout);
  const argv = sshArgv({ paths, vm, hostname: vm, address }, ['exit']);
  const login = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', ...argv];
  for (;;) {
    const ok = await run('ssh', login, { signal, timeout: 20_000 }).then(() => true, () => false);
    if (ok) return;
    await sleep(1000, undefined, { signal });
  }
}

// A TCP connection to host:port opens within `ms`.
function answers(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: ms });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
