// Is the cluster's /24 in use on this host? The guide's 192.168.1.0/24 is the commonest home LAN:
// a bridge with that address would take the LAN's traffic (or lose the VMs'). Read from `ip -j
// addr show` and `ip -j route show` as data: an address or a route (not the default one) that
// overlaps the /24 on another interface than the cluster's bridge is a collision, named with its
// interface; a free /24 is offered in its place.

export interface Collision {
  dev: string;
  what: string; // "192.168.1.23/24" or "the route 192.168.0.0/16"
}

interface AddrLink {
  ifname?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number }[];
}
interface Route {
  dst?: string;
  dev?: string;
}

const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const maskOf = (length: number) => (length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0);

// Two prefixes overlap when they agree on the bits of the shorter one.
export function overlaps(a: string, aLength: number, b: string, bLength: number): boolean {
  const mask = maskOf(Math.min(aLength, bLength));
  return (toInt(a) & mask) >>> 0 === (toInt(b) & mask) >>> 0;
}

const parse = <T>(text: string): T[] => {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
};

// What on this host uses `subnet` (a.b.c.0/24), other than `bridge` itself.
export function collisions(addrJson: string, routeJson: string, subnet: string, bridge: string): Collision[] {
  const [net, length] = subnet.split('/') as [string, string];
  const found: Collision[] = [];
  for (const link of parse<AddrLink>(addrJson)) {
    if (!link.ifname || link.ifname === bridge) continue;
    for (const a of link.addr_info ?? []) {
      if (
        a.family === 'inet' &&
        a.local &&
        a.prefixlen !== undefined &&
        a.local !== '127.0.0.1' &&
        overlaps(a.local, a.prefixlen, net, Number(length))
      ) {
        found.push({ dev: link.ifname, what: `${a.local}/${a.prefixlen}` });
      }
    }
  }
  for (const r of parse<Route>(routeJson)) {
    if (!r.dst || r.dst === 'default' || !r.dev || r.dev === bridge || found.some((f) => f.dev === r.dev)) continue;
    const [dst, dstLength = '32'] = r.dst.split('/') as [string, string?];
    if (/^\d+\.\d+\.\d+\.\d+$/.test(dst) && overlaps(dst, Number(dstLength), net, Number(length)))
      found.push({ dev: r.dev, what: `the route ${r.dst}` });
  }
  return found;
}

// A /24 nothing on this host uses, as kubenet.yaml's `network:` writes it (three numbers).
export function freeNetwork(addrJson: string, routeJson: string, bridge: string): string | undefined {
  for (let third = 100; third < 255; third += 1) {
    const network = `192.168.${third}`;
    if (collisions(addrJson, routeJson, `${network}.0/24`, bridge).length === 0) return network;
  }
  return undefined;
}
