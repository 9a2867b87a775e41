// The guide's vmsshsetup.sh for one VM, without nc, sed or the user's ~/.ssh/known_hosts: wait
// until its sshd accepts connections, record its host keys in the VM's own known_hosts (a reset
// VM has new keys: the file is replaced, never appended to), then wait until ubuntu can log in
// (cloud-init may still be setting the key up when sshd already answers). Every try is bounded;
// the caller bounds the whole wait (its signal). Nothing here keeps kubenet running: its timers,
// sockets and processes are unreferenced, so a run that is over ends even while this still waits.
import { constants } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempPathFor, writeFileAtomic } from '../fs/atomic-write.js';
import { openOwnFile } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { runProcess } from '../process/run-process.js';
import { sshdBanner } from './sshd-banner.js';
import { sshArgv, sshTarget, type SshTarget } from './ssh-target.js';

export interface SshSetup {
  paths: Paths;
  vm: string;
  address?: string; // its own address (port 22); none: the port kubenet forwards to it
  signal: AbortSignal;
  note(line: string): void;
}

export async function sshSetup({ paths, vm, address, signal, note }: SshSetup): Promise<void> {
  const pause = () => sleep(1000, undefined, { signal, ref: false });
  const target = sshTarget({ paths, vm, hostname: vm, ...(address === undefined ? {} : { address }) });
  while (!(await sshdBanner(target.host, target.port, 10_000, { unref: true }))) await pause();
  note(`${vm}: sshd answers on ${target.host}:${target.port}`);
  await recordHostKeys({ ...target, root: paths.root }, signal);
  const login = sshArgv(target, ['exit'], { batch: true, connectTimeout: 10 });
  for (;;) {
    if ((await unreferenced('ssh', login, signal)) === 0) return;
    await pause();
  }
}

// The keys are scanned into a temp file of their own (an unpredictable name, made new, never
// through a link: fs/temp-names.ts), then put in place whole, recorded under the name `kubenet
// ssh` checks them by (HostKeyAlias: the seed's instance), not the address.
export async function recordHostKeys(
  target: Pick<SshTarget, 'knownHosts' | 'alias' | 'host' | 'port'> & { root: string },
  signal: AbortSignal,
): Promise<void> {
  const scanned = tempPathFor(target.knownHosts);
  const out = await openOwnFile(
    scanned,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    'scan of host keys',
    0o600,
  );
  try {
    try {
      await unreferenced('ssh-keyscan', ['-T', '10', '-p', String(target.port), target.host], signal, out.fd);
    } finally {
      await out.close();
    }
    await writeFileAtomic(target.knownHosts, underAlias(await readFile(scanned, 'utf8'), target.alias), {
      root: target.root,
    });
  } finally {
    await rm(scanned, { force: true });
  }
}

// A short command (20 s at most) that does not hold kubenet open: no pipes, the process unreferenced.
async function unreferenced(file: string, args: string[], signal: AbortSignal, stdout: number | 'ignore' = 'ignore') {
  const r = await runProcess(file, args, { stdout, stderr: 'ignore', signal, timeoutMs: 20_000, unref: true });
  if (r.cause) throw r.cause;
  return r.exitCode;
}

// ssh-keyscan's lines ("ADDRESS TYPE KEY") with the host field replaced by `alias`.
export function underAlias(scanned: string, alias: string): string {
  return scanned
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => `${alias} ${line.split(' ').slice(1).join(' ')}\n`)
    .join('');
}
