// The guide's cluster as data (chapter 2, "Topology overview", and chapter 3, "Granting
// resources"): gateway (id 0), control0..2 (ids 1–3), worker0..2 (ids 4–6); MAC
// 52:52:52:00:00:<id in hex>, IP 192.168.1.(10+id), domain kubenet. Every number is a default the
// `cluster:` mapping of kubenet.yaml may change, and nothing else writes them down.
import { ExitCode, KubenetError } from '../errors.js';
import { count as countKind } from '../kinds/numbers.js';
import { checkedSize, sizeRanges } from '../kinds/sizes.js';

export type VmType = 'gateway' | 'control' | 'worker';
export const vmTypes: readonly VmType[] = ['gateway', 'control', 'worker'];

export interface ClusterVm {
  id: number;
  name: string; // gateway, control0, worker2: the hostname and the folder under images/
  type: VmType;
  mac: string;
  userMac: string; // root-free: its second NIC, on QEMU's user-mode network (ssh from the host, the way out)
  ip: string;
  smp: number;
  memory: string;
}

// bridge: the guide's network (Linux: a bridge and TAPs; macOS: vmnet-shared), with root.
// root-free: kubenet's own switch, DHCP and DNS on a unix socket the VMs' QEMUs connect to —
// no root anywhere, no way out to the internet, not reachable from the host but by kubenet.
export type NetworkMode = 'bridge' | 'root-free';

export interface Topology {
  mode: NetworkMode;
  hostMac: string; // the host side's MAC on the root-free network
  domain: string;
  bridge: string; // Linux: the bridge the TAPs join
  hostIp: string; // the host's address on the bridge: the VMs' router, DHCP and DNS server
  prefix: number; // the subnet's length (24)
  subnet: string; // 192.168.1.0/24
  netmask: string; // 255.255.255.0 (macOS vmnet's subnet-mask)
  dhcpRange: { start: string; end: string; lease: string }; // the guide's 192.168.1.2–20 for 12h
  macPrefix: string; // 52:52:52:00:00
  diskSize: string; // each VM's overlay: 20G
  extraHosts: readonly { name: string; ip: string }[]; // vmhost (the host) and kubernetes (the API's virtual IP)
  vms: readonly ClusterVm[];
}

// What kubenet.yaml's `cluster:` may say; every key is optional.
export interface ClusterConfig {
  'network-mode'?: NetworkMode;
  domain?: string;
  bridge?: string;
  network?: string; // the first three octets of a /24: 192.168.1
  controls?: number;
  workers?: number;
  'disk-size'?: string;
  resources?: Partial<Record<VmType, { cpus?: number; memory?: string }>>;
}

const guideResources: Record<VmType, { cpus: number; memory: string }> = {
  gateway: { cpus: 2, memory: '2G' },
  control: { cpus: 2, memory: '2G' },
  worker: { cpus: 4, memory: '4G' },
};

const bad = (what: string, hint: string) =>
  new KubenetError(`kubenet.yaml cluster: ${what}`, { code: ExitCode.usage, hint });

export function topology(config: ClusterConfig = {}): Topology {
  const network = config.network ?? '192.168.1';
  if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(network) || network.split('.').some((o) => Number(o) > 255)) {
    throw bad(
      `network ${network} is not the first three numbers of an IPv4 /24`,
      "e.g. network: 192.168.1 (the guide's)",
    );
  }
  const controls = count('controls', config.controls ?? 3);
  const workers = count('workers', config.workers ?? 3);
  const domain = config.domain ?? 'kubenet';
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain))
    throw bad(`domain ${domain} is not a DNS name`, 'e.g. domain: kubenet');
  const bridge = config.bridge ?? 'kubr0';
  if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(bridge))
    throw bad(`bridge ${bridge} is not an interface name (up to 15 letters, digits, _ . -)`, 'e.g. bridge: kubr0');
  const resources = (type: VmType) => {
    const own = config.resources?.[type] ?? {};
    const memory = checkedSize(
      `kubenet.yaml cluster: resources.${type}.memory`,
      own.memory ?? guideResources[type].memory,
      sizeRanges.memory,
      '4G',
    );
    return { smp: count(`resources.${type}.cpus`, own.cpus ?? guideResources[type].cpus, 1), memory };
  };
  const names: { type: VmType; name: string }[] = [
    { type: 'gateway', name: 'gateway' },
    ...Array.from({ length: controls }, (_, i) => ({ type: 'control' as const, name: `control${i}` })),
    ...Array.from({ length: workers }, (_, i) => ({ type: 'worker' as const, name: `worker${i}` })),
  ];
  if (names.length + 10 > 254)
    throw bad(`${names.length} VMs do not fit from .10 in a /24`, 'fewer controls or workers');
  const macPrefix = '52:52:52:00:00';
  const vms = names.map(
    ({ type, name }, id): ClusterVm => ({
      id,
      name,
      type,
      mac: `${macPrefix}:${id.toString(16).padStart(2, '0')}`,
      userMac: `${macPrefix.slice(0, 8)}:01:00:${id.toString(16).padStart(2, '0')}`,
      ip: `${network}.${10 + id}`,
      ...resources(type),
    }),
  );
  const mode = config['network-mode'] ?? 'bridge';
  if (mode !== 'bridge' && mode !== 'root-free')
    throw bad(
      `network-mode ${String(mode)} is not bridge or root-free`,
      'network-mode: root-free runs the cluster without root (each VM ' +
        "also gets QEMU's user-mode network: ssh from the host, a way out)",
    );
  const diskSize = checkedSize('kubenet.yaml cluster: disk-size', config['disk-size'] ?? '20G', sizeRanges.disk, '40G');
  return {
    mode,
    hostMac: `${macPrefix.slice(0, 8)}:ff:ff:01`,
    domain,
    bridge,
    hostIp: `${network}.1`,
    prefix: 24,
    subnet: `${network}.0/24`,
    netmask: '255.255.255.0',
    // The guide's range ends at .20: past the VMs' own addresses when there are more of them.
    dhcpRange: { start: `${network}.2`, end: `${network}.${Math.max(20, 10 + names.length)}`, lease: '12h' },
    macPrefix,
    diskSize,
    extraHosts: [
      { name: 'vmhost', ip: `${network}.1` },
      { name: 'kubernetes', ip: `${network}.${Math.max(21, 11 + names.length)}` },
    ],
    vms,
  };
}

// A count in the mapping, read as every count is (kinds/numbers.ts): whole, in digits, in range.
function count(key: string, value: unknown, min = 0): number {
  const kind = countKind(min, 99, `${key.split('.').at(-1)}: 3`);
  return kind.parse(String(value), { name: `kubenet.yaml cluster: ${key}`, base: '' });
}

// A VM by name (control1) or by the guide's numeric id (2), as vmlaunch.sh takes it.
export function findVm(topo: Topology, word: string): ClusterVm | undefined {
  return /^\d+$/.test(word) ? topo.vms.find((vm) => vm.id === Number(word)) : topo.vms.find((vm) => vm.name === word);
}

// Checks the `cluster:` mapping's shape as read from YAML; values are checked by topology().
export function clusterConfigOf(value: unknown, file: string): ClusterConfig {
  const mapping = (v: unknown, where: string): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw new KubenetError(`${file}: ${where} must be a mapping`, {
        code: ExitCode.usage,
        hint: 'e.g.\ncluster:\n  resources:\n    worker: { cpus: 4, memory: 6G }',
      });
    return v as Record<string, unknown>;
  };
  const known = ['network-mode', 'domain', 'bridge', 'network', 'controls', 'workers', 'disk-size', 'resources'];
  const top = mapping(value, 'cluster');
  for (const key of Object.keys(top)) {
    if (!known.includes(key))
      throw new KubenetError(`${file}: unknown cluster setting "${key}"`, {
        code: ExitCode.usage,
        hint: `the cluster settings: ${known.join(', ')}`,
      });
  }
  const config = { ...top } as ClusterConfig & Record<string, unknown>;
  for (const key of ['domain', 'bridge', 'network', 'disk-size'] as const)
    if (key in top) config[key] = String(top[key]);
  if ('network-mode' in top) config['network-mode'] = String(top['network-mode']) as NetworkMode;
  if (top.resources !== undefined) {
    const resources = mapping(top.resources, 'cluster.resources');
    for (const [type, spec] of Object.entries(resources)) {
      if (!(vmTypes as readonly string[]).includes(type))
        throw new KubenetError(`${file}: cluster.resources.${type}: no such VM type`, {
          code: ExitCode.usage,
          hint: `the types: ${vmTypes.join(', ')}`,
        });
      const own = mapping(spec, `cluster.resources.${type}`);
      for (const key of Object.keys(own)) {
        if (key !== 'cpus' && key !== 'memory')
          throw new KubenetError(`${file}: cluster.resources.${type}.${key}: unknown`, {
            code: ExitCode.usage,
            hint: 'a VM type has cpus and memory',
          });
      }
      if (own.memory !== undefined) own.memory = String(own.memory);
    }
  }
  topology(config); // every value checked now, before any work
  return config;
}
