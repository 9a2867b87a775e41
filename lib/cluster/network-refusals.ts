// Why the cluster network is not set up, in words a learner can act on — each said before
// anything changed (or, for dnsmasq, after this run's changes were undone).
import { ExitCode, KubenetError } from '../errors.js';
import { describeHolder, portHolder } from '../host/port-holder.js';
import type { Collision } from './address-collision.js';
import type { BridgeState } from './network-state.js';
import type { Topology } from '../settings/topology.js';

// The cluster's /24 is in use on this host (a home LAN, a VPN).
export function networkInUse(topo: Topology, used: readonly Collision[], free: string | undefined): KubenetError {
  const where = used.map((c) => `${c.dev} (${c.what})`).join(', ');
  return new KubenetError(
    `the cluster's network ${topo.subnet} is in use on this host: ${where}; ` +
      `a bridge with ${topo.hostIp} would clash with it. Nothing was changed`,
    {
      code: ExitCode.host,
      hint: free
        ? `give the cluster a free range in kubenet.yaml — ${free}.0/24 ` +
          `is free here:\n    cluster:\n      network: ${free}`
        : 'give the cluster a free /24 in kubenet.yaml (cluster: network: A.B.C)',
    },
  );
}

// A bridge of the cluster's name that kubenet did not make and that does not fit.
export function bridgeNotOurs(topo: Topology, have: BridgeState): KubenetError {
  const want = `${topo.hostIp}/${topo.prefix}`;
  const why = [
    ...(have.up ? [] : ['it is down']),
    ...(have.addressed
      ? []
      : [`it does not have ${want}${have.addresses?.length ? ` (it has ${have.addresses.join(', ')})` : ''}`]),
  ].join(' and ');
  return new KubenetError(
    `${topo.bridge} was there before kubenet and does not fit the cluster: ` +
      `${why}. kubenet changes no bridge it did not make; nothing was changed`,
    {
      code: ExitCode.host,
      hint:
        `set it up yourself (sudo ip link set ${topo.bridge} up; sudo ip addr add ${want} ` +
        `dev ${topo.bridge}), remove it if it is a leftover (sudo ip link del ${topo.bridge}), ` +
        `or give the cluster another bridge (cluster: bridge: in kubenet.yaml)`,
    },
  );
}

// A KUBENET_NAT chain kubenet did not make that does not masquerade the cluster's traffic.
export function chainNotOurs(topo: Topology, hooked: boolean): KubenetError {
  const why = hooked
    ? `it does not masquerade ${topo.subnet} leaving by another interface than ${topo.bridge}`
    : 'POSTROUTING does not jump to it';
  return new KubenetError(
    `the iptables chain KUBENET_NAT was there before kubenet and does not fit the ` +
      `cluster: ${why}. kubenet rewrites no chain it did not make; nothing was changed`,
    {
      code: ExitCode.host,
      hint:
        `fix it yourself as the guide's kubenet-nat.sh does (sudo iptables -t nat -A KUBENET_NAT ! -o ` +
        `${topo.bridge} -s ${topo.subnet} -j MASQUERADE; sudo iptables -t nat -A POSTROUTING -j KUBENET_NAT), ` +
        `or remove it (sudo iptables -t nat -F KUBENET_NAT; sudo iptables -t nat -X KUBENET_NAT) and run again`,
    },
  );
}

// dnsmasq did not start: which port it could not have and who holds it, and what was undone.
export function dnsmasqFailed(cause: unknown, topo: Topology, undone: readonly string[]): KubenetError {
  const said = `${(cause as KubenetError).details ?? ''}\n${(cause as Error).message ?? ''}`;
  const dhcp = /DHCP/i.test(said) && /in use/i.test(said);
  const dns = !dhcp && /in use/i.test(said);
  const port = dhcp ? 67 : dns ? 53 : undefined;
  const holder = port === undefined ? undefined : (portHolder('udp', port) ?? portHolder('tcp', port));
  const taken =
    port === undefined ? '' : `: port ${port} (${dhcp ? 'DHCP' : 'DNS'}) is taken by ${describeHolder(holder)}`;
  const back = undone.length ? `; this run's changes were undone (${undone.join(', ')})` : '';
  return new KubenetError(`dnsmasq could not start on ${topo.bridge}${taken}${back}`, {
    code: ExitCode.host,
    cause,
    ...((cause as KubenetError).details ? { details: (cause as KubenetError).details } : {}),
    hint:
      port === undefined
        ? "see dnsmasq's words above"
        : `stop it, or keep it off the cluster's bridge (the system's dnsmasq: bind-interfaces and ` +
          `except-interface=${topo.bridge} in /etc/dnsmasq.conf, or sudo systemctl stop dnsmasq), then run again`,
  });
}
