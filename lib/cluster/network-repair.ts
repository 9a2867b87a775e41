// The cluster network under way: what a network run repairs, and what it undoes when it cannot
// finish — with the task's own context (its checks, its asRoot and its files), so what runs as
// root is shown and agreed to as every other root command of the run.
import type { TaskContext } from '../task/types.js';
import { networkFiles } from '../paths.js';
import { readMade, wasMadeNow, writeMade } from './network-made.js';
import { masterOf, tapOf } from './tap-of.js';
import type { Topology } from '../settings/topology.js';

// A network run while VMs run: a bridge made anew under them has lost their TAPs; each is put back
// on it (QEMU holds the TAP: its name is in /proc). One that cannot be seen is said so.
export async function tapsBack({ $, asRoot, vmInfo, note }: TaskContext, topo: Topology): Promise<void> {
  const lost: string[] = [];
  for (const vm of topo.vms) {
    const info = await vmInfo(vm.name);
    if (!info.running || info.pid === undefined) continue;
    const tap = tapOf(info.pid);
    if (tap === undefined) {
      note(
        `${vm.name} runs, and its TAP interface cannot be seen from here (its QEMU is another user's): if ` +
          `it lost the network, restart it (kubenet stop ${vm.name}; kubenet run vm-launch --vm ${vm.name})`,
      );
      continue;
    }
    if (masterOf(await $`ip -j link show dev ${tap}`.check()) !== topo.bridge) lost.push(tap);
  }
  if (lost.length === 0) return;
  await asRoot(
    `the running VMs' TAP interfaces back on ${topo.bridge} (${lost.join(', ')}), which was made anew under them`,
    lost.flatMap((tap) => [$`ip link set ${tap} master ${topo.bridge}`, $`ip link set ${tap} up`]),
  );
}

// dnsmasq did not start: what this run made of the network goes again (the host as it was found),
// and what went is said.
export async function undoThisRun(
  { $, asRoot, readFile, writeFile, removeFile }: TaskContext,
  topo: Topology,
): Promise<string[]> {
  const made = readMade(await readFile(networkFiles.made));
  const before = (await readFile(networkFiles.ipForwardBefore))?.trim();
  const undo = [
    ...(wasMadeNow('chain')
      ? [
          {
            what: 'the chain KUBENET_NAT',
            commands: [
              $`iptables -t nat -D POSTROUTING -j KUBENET_NAT`,
              $`iptables -t nat -F KUBENET_NAT`,
              $`iptables -t nat -X KUBENET_NAT`,
            ],
          },
        ]
      : []),
    ...(wasMadeNow('bridge') ? [{ what: `the bridge ${topo.bridge}`, commands: [$`ip link del ${topo.bridge}`] }] : []),
    ...(wasMadeNow('forwarding') && before && before !== '1'
      ? [{ what: 'IP forwarding', commands: [$`sysctl net.ipv4.ip_forward=${before}`] }]
      : []),
  ];
  if (undo.length === 0) return [];
  await asRoot(
    'dnsmasq did not start: what this run made of the network goes again',
    undo.flatMap((u) => u.commands),
  );
  const bridge = wasMadeNow('bridge') || !made.bridge ? {} : { bridge: made.bridge };
  await writeFile(
    networkFiles.made,
    writeMade({ ...bridge, ...(wasMadeNow('chain') || !made.chain ? {} : { chain: true }) }),
  );
  if (wasMadeNow('forwarding')) await removeFile(networkFiles.ipForwardBefore);
  return undo.map((u) => u.what);
}
