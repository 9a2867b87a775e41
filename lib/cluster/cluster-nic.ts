// The -nic of a cluster VM, without its MAC: what joins it to the other VMs and the host.
//   Linux (the guide's):  tap,script=tapup.sh,downscript=no — QEMU makes a TAP interface and
//                         tapup.sh puts it on the bridge
//   macOS (the guide's):  vmnet-shared with the cluster's address range, so macOS's bridge is
//                         192.168.1.1 and dnsmasq can serve it
import type { HostOs } from '../host/types.js';
import type { Topology } from './topology.js';

export const tapScript = 'tapup.sh';

export function clusterNic(hostOs: HostOs, topo: Pick<Topology, 'hostIp' | 'dhcpRange' | 'netmask'>): string {
  if (hostOs === 'darwin') return `vmnet-shared,start-address=${topo.hostIp},end-address=${topo.dhcpRange.end},subnet-mask=${topo.netmask}`;
  return `tap,script=${tapScript},downscript=no`;
}

// The guide's tapup.sh, with this cluster's bridge: QEMU runs it (as root) with the TAP's name.
export const tapUpScript = (topo: Topology): string => `#!/usr/bin/env sh

ifname="$1"
ip link set "$ifname" master ${topo.bridge}
ip link set "$ifname" up
`;

// The root-free network's files under images/network/: the socket the VMs connect to, and the
// daemon's configuration, pid file and log.
export const userNetFiles = { socket: 'network/usernet.sock', config: 'network/usernet.json', pidFile: 'network/usernet.pid', log: 'network/usernet.log' } as const;

// A cluster VM's network options, with its MAC: the guide's -nic for the bridge (and vmnet); for
// the root-free network, a stream socket to kubenet's switch. (QEMU's -nic takes no dotted keys
// for stream, so the long form: a -netdev and its card.)
export function clusterNicArgs(hostOs: HostOs, topo: Topology, mac: string): string[] {
  if (topo.mode === 'root-free') {
    return ['-netdev', `stream,id=net0,server=off,addr.type=unix,addr.path=${userNetFiles.socket}`, '-device', `virtio-net-pci,netdev=net0,mac=${mac}`];
  }
  return ['-nic', `${clusterNic(hostOs, topo)},mac=${mac}`];
}
