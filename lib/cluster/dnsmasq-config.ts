// What the guide adds to dnsmasq's configuration (chapter 2, "Using dnsmasq", "DHCP server
// configuration", "DNS server configuration") and to /etc/hosts, from the topology, and what a
// dnsmasq of kubenet's own adds so that it leaves the host alone: its own hosts file instead of
// /etc/hosts, its pid and lease files under images/network/, nothing on the loopback interface.
import type { Topology } from '../settings/topology.js';

// The guide's lines, in its order: the bridge only, the DHCP range, a fixed address per MAC,
// authoritative, and the domain.
export function guideDnsmasqLines(topo: Topology, { bridge = true } = {}): string[] {
  const { start, end, lease } = topo.dhcpRange;
  return [
    ...(bridge ? [`interface=${topo.bridge}`, 'bind-interfaces'] : []),
    `dhcp-range=${start},${end},${lease}`,
    ...topo.vms.map((vm) => `dhcp-host=${vm.mac},${vm.ip}`),
    'dhcp-authoritative',
    `domain=${topo.domain}`,
    'expand-hosts',
  ];
}

// The guide's /etc/hosts lines: the host, the VMs, the API's virtual address.
export function hostsLines(topo: Topology): string[] {
  const entries = [
    topo.extraHosts[0]!,
    ...topo.vms.map((vm) => ({ name: vm.name, ip: vm.ip })),
    ...topo.extraHosts.slice(1),
  ];
  return entries.map((e) => `${e.ip.padEnd(13)} ${e.name}`);
}

export interface ManagedFiles {
  hosts: string; // absolute: dnsmasq changes folder when it starts
  pidFile: string;
  leases: string;
}

// kubenet's own dnsmasq.conf: the guide's lines, then what keeps it to itself.
export function managedDnsmasqConf(topo: Topology, files: ManagedFiles): string {
  return [
    "# kubenet's dnsmasq for the cluster network: the guide's settings (chapter 2), then kubenet's own.",
    ...guideDnsmasqLines(topo),
    "# Not the host's /etc/hosts: the names below, in a file of kubenet's.",
    'no-hosts',
    `addn-hosts=${files.hosts}`,
    `dhcp-leasefile=${files.leases}`,
    `pid-file=${files.pidFile}`,
    '# The bridge only: --interface would add the loopback interface too.',
    'except-interface=lo',
    '',
  ].join('\n');
}
