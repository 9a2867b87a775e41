// Where and how `kubenet ssh` logs in: user ubuntu, the key the seed trusts, the forwarded
// port (user networking) or the vmnet address, and a known_hosts file of the VM's own so the
// user's ~/.ssh/known_hosts never collects throwaway host keys.
import { existsSync, readFileSync } from 'node:fs';
import { ExitCode, KubenetError } from '../errors.js';
import { findUserKey } from '../cloud-init/ssh-key.js';
import type { Paths } from '../paths.js';
import { addressOf, parseLeases } from './dhcp-leases.js';
import { join } from 'node:path';

export interface SshTargetInput {
  paths: Paths;
  vm: string;
  hostname: string;
  home?: string;
  leasesFile?: string;
  address?: string; // a cluster VM's own address on the bridge: reached directly, port 22
}

export function sshArgv({ paths, vm, hostname, home, leasesFile = '/var/db/dhcpd_leases', address: known }: SshTargetInput, command: string[]): string[] {
  const key = findUserKey(home)?.privateKey ?? (existsSync(paths.sshKey) ? paths.sshKey : undefined);
  if (!key) {
    throw new KubenetError(`no SSH key for ${vm}`, { code: ExitCode.vm, hint: 'run kubenet run 03-cloud-image first: it writes the key into the VM\'s cloud-init seed' });
  }
  const portFile = paths.vmFile(vm, 'ssh-port');
  let host: string;
  let port = '22';
  if (known !== undefined) {
    host = known;
  } else if (existsSync(portFile)) {
    host = '127.0.0.1';
    port = readFileSync(portFile, 'utf8').trim();
  } else {
    const address = existsSync(leasesFile) ? addressOf(hostname, parseLeases(readFileSync(leasesFile, 'utf8'))) : undefined;
    if (!address) {
      throw new KubenetError(`cannot find ${vm}'s address`, {
        code: ExitCode.vm,
        hint: `with vmnet, look for "${hostname}" in the DHCP leases (${leasesFile}) or run "ip addr" on the VM's console; with --net user, kubenet forwards a port and records it`,
      });
    }
    host = address;
  }
  return [
    '-i', key,
    '-p', port,
    '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${join(paths.vmDir(vm), 'known_hosts')}`,
    '-o', 'StrictHostKeyChecking=accept-new',
    '-o', 'LogLevel=ERROR',
    `ubuntu@${host}`,
    ...command,
  ];
}
