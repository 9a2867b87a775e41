// The -nic of a cluster VM, without its MAC: what joins it to the other VMs and the host.
//   Linux (the guide's):  tap,script=tapup.sh,downscript=no — QEMU makes a TAP interface and
//                         tapup.sh puts it on the bridge
//   macOS (the guide's):  vmnet-shared with the cluster's address range, so macOS's bridge is
//                         192.168.1.1 and dnsmasq can serve it
import type { HostOs } from '../host/types.js';
import type { Topology } from './topology.js';

export const tapScript = 'tapup.sh';

export function clusterNic(hostOs: HostOs, topo: Topology): string {
  if (hostOs === 'darwin') return `vmnet-shared,start-address=${topo.hostIp},end-address=${topo.dhcpRange.end},subnet-mask=${topo.netmask}`;
  return `tap,script=${tapScript},downscript=no`;
}

// The guide's tapup.sh, with this cluster's bridge: QEMU runs it (as root) with the TAP's name.
export const tapUpScript = (topo: Topology): string => `#!/usr/bin/env sh

ifname="$1"
ip link set "$ifname" master ${topo.bridge}
ip link set "$ifname" up
`;
