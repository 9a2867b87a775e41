// The guide's vmsshsetup.sh for one VM, without nc, sed or the user's ~/.ssh/known_hosts: wait
// until its sshd accepts connections, record its host keys in the VM's own known_hosts (a reset
// VM has new keys: the file is replaced, never appended to), then wait until ubuntu can log in
// (cloud-init may still be setting the key up when sshd already answers). Every try is bounded;
// the caller bounds the whole wait (its signal). Nothing here keeps kubenet running: its timers,
// sockets and processes are unreferenced, so a run that is over ends even while this still waits.
import { spawn } from 'node:child_process';
import { open, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Paths } from '../paths.js';
import { sshArgv } from './ssh-target.js';

export interface SshSetup {
  paths: Paths;
  vm: string;
  address: string;
  signal: AbortSignal;
  note(line: string): void;
}

export async function sshSetup({ paths, vm, address, signal, note }: SshSetup): Promise<void> {
  const pause = () => sleep(1000, undefined, { signal, ref: false });
  while (!(await answers(address, 22, 10_000))) await pause();
  note(`${vm}: sshd answers on ${address}:22`);
  // The keys are scanned into a file of their own, then put in place whole.
  const scanned = join(paths.vmDir(vm), 'known_hosts.scan');
  const out = await open(scanned, 'w');
  try {
    await unreferenced('ssh-keyscan', ['-T', '10', address], signal, out.fd);
  } finally {
    await out.close();
  }
  await writeFileAtomic(join(paths.vmDir(vm), 'known_hosts'), await readFile(scanned));
  await rm(scanned, { force: true });
  const argv = sshArgv({ paths, vm, hostname: vm, address }, ['exit']);
  const login = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', ...argv];
  for (;;) {
    if ((await unreferenced('ssh', login, signal)) === 0) return;
    await pause();
  }
}

// A short command (20 s at most) that does not hold kubenet open: no pipes, the process unreferenced.
function unreferenced(file: string, args: string[], signal: AbortSignal, stdout: number | 'ignore' = 'ignore'): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', stdout, 'ignore'], signal, timeout: 20_000 });
    child.unref();
    child.once('error', (error) => ((error as NodeJS.ErrnoException).code === 'ABORT_ERR' ? resolve(null) : reject(error)));
    child.once('exit', (code) => resolve(code));
  });
}

// A TCP connection to host:port opens within `ms`.
function answers(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: ms });
    socket.unref();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
