// The host's side of the root-free network, in kubenet itself: at 192.168.1.1 it answers ARP,
// ping, DHCP (fixed addresses by MAC) and DNS (the VMs' names) — what the bridge's address and
// dnsmasq are on the guide's network — for the frames the switch hands it.
import { dhcpReply, parseDhcp } from './dhcp.js';
import { dnsAnswer, parseDnsQuery } from './dns.js';
import {
  arpReply,
  echoReply,
  etherArp,
  etherIpv4,
  ethernet,
  ipBytes,
  ipv4,
  macBytes,
  parseEthernet,
  parseIpv4,
  parseUdp,
  udp,
} from './packets.js';

export interface HostSideConfig {
  mac: string; // the host side's own MAC
  ip: string; // 192.168.1.1
  mask: string; // 255.255.255.0
  domain: string;
  leases: Record<string, string>; // MAC → address
  names: Record<string, string>; // name → address (bare; NAME.domain answers too)
  leaseSeconds: number;
  // The host side offers itself as the VMs' router. Not on kubenet's root-free network: it has no
  // way out; each VM's second NIC (QEMU's user-mode network) is its default route.
  router?: boolean;
}

export function hostSide(config: HostSideConfig): (frame: Buffer) => Buffer[] {
  const mac = macBytes(config.mac);
  const ip = ipBytes(config.ip);
  const suffix = `.${config.domain}`;
  const addressOf = (name: string) => config.names[name.endsWith(suffix) ? name.slice(0, -suffix.length) : name];
  return (frame) => {
    const eth = parseEthernet(frame);
    if (!eth) return [];
    if (eth.type === etherArp) {
      const reply = arpReply(eth.payload, ip, mac);
      return reply ? [ethernet(eth.src, mac, etherArp, reply)] : [];
    }
    if (eth.type !== etherIpv4) return [];
    const packet = parseIpv4(eth.payload);
    if (!packet) return [];
    const toHost = packet.dst.equals(ip);
    if (packet.protocol === 1 && toHost) {
      const reply = echoReply(packet.payload);
      return reply ? [ethernet(eth.src, mac, etherIpv4, ipv4(ip, packet.src, 1, reply))] : [];
    }
    if (packet.protocol !== 17) return [];
    const datagram = parseUdp(packet.payload);
    if (!datagram) return [];
    if (datagram.dstPort === 67) {
      const request = parseDhcp(datagram.payload);
      const leased = request ? config.leases[request.mac] : undefined;
      const reply =
        request &&
        dhcpReply(
          request,
          leased === undefined
            ? undefined
            : {
                ip: leased,
                mask: config.mask,
                ...(config.router ? { router: config.ip } : {}),
                dns: config.ip,
                domain: config.domain,
                seconds: config.leaseSeconds,
              },
          config.ip,
        );
      // To the client's MAC, and to the broadcast address: it has no address of its own yet.
      return reply
        ? [ethernet(eth.src, mac, etherIpv4, ipv4(ip, ipBytes('255.255.255.255'), 17, udp(67, 68, reply)))]
        : [];
    }
    if (datagram.dstPort === 53 && toHost) {
      const query = parseDnsQuery(datagram.payload);
      return query
        ? [
            ethernet(
              eth.src,
              mac,
              etherIpv4,
              ipv4(ip, packet.src, 17, udp(53, datagram.srcPort, dnsAnswer(query, addressOf))),
            ),
          ]
        : [];
    }
    return [];
  };
}
