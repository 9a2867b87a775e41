// The -nic of a cluster VM, without its MAC: what joins it to the other VMs and the host.
//   Linux (the guide's):  tap,script=tapup.sh,downscript=no — QEMU makes a TAP interface and
//                         tapup.sh puts it on the bridge
//   macOS (the guide's):  vmnet-shared with the cluster's address range, so macOS's bridge is
//                         192.168.1.1 and dnsmasq can serve it
import type { HostOs } from '../host/types.js';
import { networkFiles } from '../paths.js';
import type { ClusterVm, Topology } from '../settings/topology.js';

export const tapScript = 'tapup.sh';

export function clusterNic(hostOs: HostOs, topo: Pick<Topology, 'hostIp' | 'dhcpRange' | 'netmask'>): string {
  if (hostOs === 'darwin')
    return `vmnet-shared,start-address=${topo.hostIp},end-address=${topo.dhcpRange.end},subnet-mask=${topo.netmask}`;
  return `tap,script=${tapScript},downscript=no`;
}

// The guide's tapup.sh, with this cluster's bridge: QEMU runs it (as root) with the TAP's name.
export const tapUpScript = (topo: Topology): string => `#!/usr/bin/env sh

ifname="$1"
ip link set "$ifname" master ${topo.bridge}
ip link set "$ifname" up
`;

// A cluster VM's network options: the guide's -nic for the bridge (and vmnet), with its MAC; for
// the root-free network, a stream socket to kubenet's switch (QEMU's -nic takes no dotted keys
// for stream, so the long form: a -netdev and its card), then a second NIC on QEMU's own
// user-mode network — no root either — by which the host reaches the VM's sshd (kubenet forwards
// a port to it) and the VM reaches the internet, where the host can.
export function clusterNicArgs(hostOs: HostOs, topo: Topology, vm: Pick<ClusterVm, 'mac' | 'userMac'>): string[] {
  if (topo.mode === 'root-free') {
    return [
      '-netdev',
      `stream,id=net0,server=off,addr.type=unix,addr.path=${networkFiles.usernetSocket}`,
      '-device',
      `virtio-net-pci,netdev=net0,mac=${vm.mac}`,
      '-netdev',
      'user,id=host0',
      '-device',
      `virtio-net-pci,netdev=host0,mac=${vm.userMac}`,
    ];
  }
  return ['-nic', `${clusterNic(hostOs, topo)},mac=${vm.mac}`];
}

// QEMU makes the VM's network interface on the host: root on both editions — but not on the
// root-free network, whose socket is the user's own. Shared by the steps that boot a cluster VM.
export function asRootFor<C extends { asRoot(reason: string): C }>(topo: Topology, hostOs: HostOs, command: C): C {
  if (topo.mode === 'root-free') return command;
  return command.asRoot(
    hostOs === 'darwin'
      ? "vmnet-shared needs root: macOS makes the VMs' bridge and routes their traffic"
      : `QEMU makes a TAP interface for the VM and runs ${tapScript}, which puts it on ${topo.bridge}`,
  );
}

// Root-free: the seed's network-config when the learner's template is empty. Both NICs take an
// address by DHCP — the cluster's from kubenet's switch (no router), the user-mode one from QEMU
// (10.0.2.15, the default route) — matched by MAC, as the guest names its NICs its own way.
export function rootFreeNetworkConfig(vm: Pick<ClusterVm, 'mac' | 'userMac'>): string {
  return [
    "# kubenet (root-free network): the cluster's NIC and a second one on QEMU's user-mode network,",
    '# which the host reaches (ssh) and the VM goes out by. cloud-init/network-config.<type> replaces it.',
    'version: 2',
    'ethernets:',
    '  cluster:',
    `    match: { macaddress: "${vm.mac}" }`,
    '    dhcp4: true',
    '  host:',
    `    match: { macaddress: "${vm.userMac}" }`,
    '    dhcp4: true',
    '',
  ].join('\n');
}
