// Where and how `kubenet ssh` logs in: user ubuntu, the key the seed trusts, the forwarded
// port (user networking), the vmnet address or a cluster VM's address on the bridge, and a known_hosts file of the VM's
// own so the
// user's ~/.ssh/known_hosts never collects throwaway host keys. Host keys are recorded under the
// cloud-init instance, not host:port: the forwarded port (or the vmnet address) changes from run
// to run, and a VM whose host key changed must be refused, not recorded as a new host; while
// cloud-init makes new host keys for each new instance (a changed seed). `kubenet reset`
// deletes the file with the overlay.
import { existsSync, readFileSync } from 'node:fs';
import { ExitCode, KubenetError } from '../errors.js';
import { findUserKey } from '../cloud-init/ssh-key.js';
import { ownDirExistsSync, ownFileStatsSync } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { addressOf, parseLeases } from './dhcp-leases.js';

export interface SshTargetInput {
  paths: Paths;
  vm: string;
  hostname: string;
  home?: string;
  leasesFile?: string;
  address?: string; // a cluster VM's own address on the bridge: reached directly, port 22
}

export interface SshTarget {
  host: string; // 127.0.0.1 with a forwarded port, else the VM's address
  port: number;
  key: string; // private key file
  knownHosts: string; // images/vm/<vm>/known_hosts
  alias: string; // the name its host key is recorded under: the seed's instance-id, else the VM's name
}

export function sshTarget({
  paths,
  vm,
  hostname,
  home,
  leasesFile = '/var/db/dhcpd_leases',
  address: own,
}: SshTargetInput): SshTarget {
  const key = findUserKey(home)?.privateKey ?? (existsSync(paths.sshKey) ? paths.sshKey : undefined);
  if (!key) {
    throw new KubenetError(`no SSH key for ${vm}`, {
      code: ExitCode.vm,
      hint: "run kubenet run 03-cloud-image first: it writes the key into the VM's cloud-init seed",
    });
  }
  const knownHosts = paths.vmFile(vm, 'known_hosts');
  // ssh writes it itself (a new host's key), following a link: a link there, or in place of the
  // VM's folder, stops here, before ssh starts.
  if (ownDirExistsSync(paths.root, paths.vmDir(vm))) ownFileStatsSync(knownHosts, 'file (ssh writes it)');
  const known = { key, knownHosts, alias: instanceId(paths, vm) ?? vm };
  if (own !== undefined) return { host: own, port: 22, ...known };
  const portFile = paths.vmFile(vm, 'ssh-port');
  if (existsSync(portFile)) return { host: '127.0.0.1', port: Number(readFileSync(portFile, 'utf8').trim()), ...known };
  const address = existsSync(leasesFile)
    ? addressOf(hostname, parseLeases(readFileSync(leasesFile, 'utf8')))
    : undefined;
  if (!address) {
    throw new KubenetError(`cannot find ${vm}'s address`, {
      code: ExitCode.vm,
      hint:
        `with vmnet, look for "${hostname}" in the DHCP leases (${leasesFile}) or run "ip ` +
        `addr" on the VM's console; with --net user, kubenet forwards a port and records it`,
    });
  }
  return { host: address, port: 22, ...known };
}

// The instance-id of the seed kubenet last wrote for this VM (kept in its folder), if any.
function instanceId(paths: Paths, vm: string): string | undefined {
  try {
    return readFileSync(paths.vmFile(vm, 'instance-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

// ssh's argv for a target. `batch`: never prompt (no terminal to answer on), give up on a
// connection after `connectTimeout` seconds.
export function sshArgv(target: SshTarget, command: string[], options: SshOptions = {}): string[] {
  return [
    '-i',
    target.key,
    '-p',
    String(target.port),
    ...sshOptions(target, options),
    `ubuntu@${target.host}`,
    ...command,
  ];
}

export interface SshOptions {
  batch?: boolean;
  connectTimeout?: number;
}

// What ssh and scp are both told besides the key (-i) and the port (ssh's -p, scp's -P): only
// that key, the VM's own known_hosts and the name its host key is recorded under.
export function sshOptions(target: SshTarget, { batch = false, connectTimeout }: SshOptions = {}): string[] {
  return [
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${target.knownHosts}`,
    '-o',
    `HostKeyAlias=${target.alias}`,
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    'LogLevel=ERROR',
    ...(batch ? ['-o', 'BatchMode=yes'] : []),
    ...(connectTimeout === undefined ? [] : ['-o', `ConnectTimeout=${connectTimeout}`]),
  ];
}
