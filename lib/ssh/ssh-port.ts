// The host port forwarded to a VM's sshd (user networking), stable across runs so that an
// `ssh -F` config, a VS Code host or an Ansible inventory written once keeps working: derived
// from the images/ folder and the VM's name the first time, then recorded in vm/<vm>/ssh-port and
// reused; `--ssh-port N` pins (and records) another. A port that is taken is an error naming who
// holds it — never a silently different port — except a derived one, never used yet, which moves
// on to the next free one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { ExitCode, KubenetError } from '../errors.js';
import { describeHolder, portHolder } from '../host/port-holder.js';
import type { Paths } from '../paths.js';

// Below the ephemeral ranges (Linux 32768–60999, macOS 49152–65535): a derived port rarely meets
// a connection's own port.
const first = 10_000;
const span = 20_000;

export function derivedSshPort(imagesRoot: string, vm: string): number {
  const digest = createHash('sha256').update(`${imagesRoot}\0${vm}`).digest();
  return first + (digest.readUInt32BE(0) % span);
}

export function recordedSshPort(paths: Paths, vm: string): number | undefined {
  try {
    const port = Number(readFileSync(paths.vmFile(vm, 'ssh-port'), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

// What a port can be bound as: free, taken (EADDRINUSE), or not ours to bind (EACCES: < 1024).
export function probePort(port: number, host = '127.0.0.1'): Promise<'free' | 'taken' | 'denied'> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EACCES' ? 'denied' : 'taken'));
    server.listen({ port, host }, () => server.close(() => resolve('free')));
  });
}

export interface SshPortChoice {
  port: number;
  how: 'pinned' | 'recorded' | 'derived';
}

// The port this start of `vm` forwards: --ssh-port, else the recorded one, else the derived one
// (or the next free after it). `others`: the ports other VMs of this images/ have recorded.
export async function chooseSshPort({
  paths,
  vm,
  pinned,
  others = [],
}: {
  paths: Paths;
  vm: string;
  pinned?: number;
  others?: readonly number[];
}): Promise<SshPortChoice> {
  const recorded = recordedSshPort(paths, vm);
  if (pinned !== undefined || recorded !== undefined) {
    const port = pinned ?? recorded!;
    const how = pinned !== undefined ? 'pinned' : 'recorded';
    const state = await probePort(port);
    if (state === 'free') return { port, how };
    const whose =
      how === 'pinned'
        ? `--ssh-port ${port}`
        : `${vm}'s ssh port ${port} (recorded in ${paths.vmFile(vm, 'ssh-port')})`;
    throw new KubenetError(
      state === 'denied'
        ? `${whose}: this user may not listen on port ${port}`
        : `${whose} is taken on 127.0.0.1 by ${describeHolder(portHolder('tcp', port))}`,
      {
        code: ExitCode.host,
        hint:
          state === 'denied'
            ? 'pick a port from 1024 up, e.g. --ssh-port 2222'
            : `free the port, or give ${vm} another one: --ssh-port N (it is then recorded and kept)`,
      },
    );
  }
  const start = derivedSshPort(paths.root, vm);
  for (let i = 0; i < 200; i += 1) {
    const port = first + ((start - first + i) % span);
    if (others.includes(port)) continue;
    if ((await probePort(port)) === 'free') return { port, how: 'derived' };
  }
  throw new KubenetError(`no free port for ${vm}'s ssh near ${start}`, {
    code: ExitCode.host,
    hint: 'pick one yourself: --ssh-port N',
  });
}

// The port for `vm` in this images/ folder, away from the ports its other VMs keep.
// `chosen`: ports this run has just given other VMs (not recorded yet).
export async function sshPortFor(
  paths: Paths,
  vm: string,
  pinned?: number,
  chosen: readonly number[] = [],
): Promise<SshPortChoice> {
  const names = await readdir(paths.vms).catch(() => [] as string[]);
  const others = [...chosen, ...names.filter((n) => n !== vm).flatMap((n) => recordedSshPort(paths, n) ?? [])];
  return chooseSshPort({ paths, vm, ...(pinned === undefined ? {} : { pinned }), others });
}
