// A VM as `kubenet ssh`, `ssh-config`, `cp` and `status` name it — ubuntu0, or a cluster VM by
// name or id — and where ssh reaches it: a cluster VM on the bridge at its own address; a VM on
// QEMU's user-mode network (chapter 1's, or the cluster's root-free second NIC) at the port kubenet
// forwards, recorded when it started (or, before its first start, the one it will get); a macOS
// vmnet VM at the address its DHCP lease says.
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { suggestions } from '../suggestions.js';
import { derivedSshPort, recordedSshPort } from './ssh-port.js';
import { sshTarget, type SshTarget } from './ssh-target.js';
import { findVm, topology } from '../settings/topology.js';
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';

export interface NamedVm {
  vm: string; // its folder under images/vm/
  address?: string; // a cluster VM on the bridge: reached there, port 22
  cluster: boolean; // one of the cluster's VMs (chapters 2–3)
  rootFree: boolean; // the cluster's root-free network: reached through a forwarded port
  forwarded: boolean; // reached through a port kubenet forwards (user-mode networking)
}

// The VM a word names: a cluster VM by name or id, else the word as a VM's folder name.
export async function namedVm(settings: Pick<Settings, 'cluster' | 'net'>, word: string): Promise<NamedVm> {
  const topo = topology(settings.cluster);
  const member = word === 'ubuntu0' ? undefined : findVm(topo, word);
  if (!member) {
    const net = settings.net ?? (process.platform === 'darwin' ? 'vmnet-shared' : 'user');
    return { vm: word, cluster: false, rootFree: false, forwarded: net === 'user' };
  }
  const bridge = topo.mode === 'bridge';
  return {
    vm: member.name,
    ...(bridge ? { address: member.ip } : {}),
    cluster: true,
    rootFree: !bridge,
    forwarded: !bridge,
  };
}

// Where ssh reaches the VM now; `planned`: also before its first start (the port it will get).
export function vmSshTarget(paths: Paths, named: NamedVm, { planned = false }: { planned?: boolean } = {}): SshTarget {
  if (named.address !== undefined || recordedSshPort(paths, named.vm) !== undefined || !planned || !named.forwarded) {
    return sshTarget({
      paths,
      vm: named.vm,
      hostname: named.vm,
      ...(named.address === undefined ? {} : { address: named.address }),
    });
  }
  const target = sshTarget({ paths, vm: named.vm, hostname: named.vm, address: '127.0.0.1' });
  return { ...target, port: derivedSshPort(paths.root, named.vm) };
}

// A VM word that names no VM kubenet knows: an error with the nearest names.
export function unknownVm(word: string, known: readonly string[], where: string): KubenetError {
  const near = suggestions(word, known);
  return new KubenetError(
    `no VM named ${word} in ${where}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
    {
      code: ExitCode.usage,
      hint: known.length
        ? `the VMs: ${known.join(', ')} (kubenet status shows them)`
        : 'kubenet run <task> boots one (kubenet list shows the tasks)',
    },
  );
}

// The VMs kubenet can log in to: those it wrote a seed with its key for (vm/<vm>/instance-id).
export async function seededVms(paths: Paths): Promise<string[]> {
  const names = await readdir(paths.vms).catch(() => [] as string[]);
  return names.filter((vm) => existsSync(paths.vmFile(vm, 'instance-id'))).sort();
}

// The names a VM to log in to may have: ubuntu0, the cluster's VMs, and any VM with a seed here.
export async function loginNames(paths: Paths, settings: Pick<Settings, 'cluster'>): Promise<string[]> {
  return [...new Set(['ubuntu0', ...(await seededVms(paths)), ...topology(settings.cluster).vms.map((m) => m.name)])];
}
