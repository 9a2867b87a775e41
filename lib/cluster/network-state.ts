// What `ip -j -d addr show dev BRIDGE` and `iptables -t nat -S KUBENET_NAT` say about the
// cluster network, read as data: what a network step still has to do. A missing answer (the
// command failed, or a plan that runs nothing) means nothing is set up yet.
import { ExitCode, KubenetError } from '../errors.js';

export interface BridgeState {
  exists: boolean;
  up: boolean;
  addressed: boolean; // holds the host's address with the subnet's length
  ifindex?: number; // the kernel's index for it: which bridge of that name this is
  addresses?: string[]; // its IPv4 addresses, a.b.c.d/len
}

interface IpLink {
  ifindex?: number;
  ifname?: string;
  flags?: string[];
  linkinfo?: { info_kind?: string };
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}

export function bridgeState(
  output: { exitCode: number; stdout: string },
  bridge: string,
  address: string,
): BridgeState {
  if (output.exitCode !== 0 || output.stdout.trim() === '') return { exists: false, up: false, addressed: false };
  const link = (JSON.parse(output.stdout) as IpLink[])[0];
  if (!link) return { exists: false, up: false, addressed: false };
  const kind = link.linkinfo?.info_kind;
  if (kind !== undefined && kind !== 'bridge') {
    throw new KubenetError(`${bridge} exists and is a ${kind} interface, not a bridge`, {
      code: ExitCode.host,
      hint: `give the cluster another bridge name (bridge: under cluster: in kubenet.yaml), or remove ${bridge}`,
    });
  }
  const [ip, length] = address.split('/');
  const inet = (link.addr_info ?? []).filter((a) => a.family === 'inet');
  return {
    exists: true,
    up: link.flags?.includes('UP') ?? false,
    addressed: inet.some((a) => a.local === ip && a.prefixlen === Number(length)),
    ...(link.ifindex === undefined ? {} : { ifindex: link.ifindex }),
    addresses: inet.map((a) => `${a.local}/${a.prefixlen}`),
  };
}

// The chain exists and masquerades the subnet's traffic that leaves by any other interface.
// (iptables-nft prints the rule's matches in its own order.)
export function natChainReady(output: { exitCode: number; stdout: string }, bridge: string, subnet: string): boolean {
  if (output.exitCode !== 0) return false;
  return output.stdout
    .split('\n')
    .some(
      (line) =>
        line.startsWith('-A KUBENET_NAT ') &&
        line.includes(`-s ${subnet}`) &&
        line.includes(`! -o ${bridge}`) &&
        line.includes('-j MASQUERADE'),
    );
}
