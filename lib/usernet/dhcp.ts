// DHCP (RFC 2131) as the root-free network's host side serves it: the fixed address of each MAC
// the topology knows, with the subnet, the DNS server and the domain (a router only when told), as dnsmasq's
// dhcp-host lines and dhcp-authoritative do. A MAC it does not know gets nothing.
import { ipBytes, macText } from './packets.js';

export interface DhcpLease {
  ip: string;
  mask: string;
  router?: string; // none: the VMs' way out is their second NIC, QEMU's user-mode network
  dns: string;
  domain: string;
  seconds: number;
}

const cookie = Buffer.from([99, 130, 83, 99]);
const DISCOVER = 1;
const OFFER = 2;
const REQUEST = 3;
const ACK = 5;
const NAK = 6;

export interface DhcpRequest {
  xid: Buffer;
  flags: number;
  mac: string;
  type: number;
  requested?: string;
}

export function parseDhcp(payload: Buffer): DhcpRequest | undefined {
  if (payload.length < 240 || payload[0] !== 1 || !payload.subarray(236, 240).equals(cookie)) return undefined;
  const options = new Map<number, Buffer>();
  for (let i = 240; i < payload.length; ) {
    const code = payload[i]!;
    if (code === 255) break;
    if (code === 0) {
      i += 1;
      continue;
    }
    const length = payload[i + 1] ?? 0;
    options.set(code, payload.subarray(i + 2, i + 2 + length));
    i += 2 + length;
  }
  const type = options.get(53)?.[0];
  if (type === undefined) return undefined;
  const requested = options.get(50);
  return {
    xid: payload.subarray(4, 8),
    flags: payload.readUInt16BE(10),
    mac: macText(payload.subarray(28, 34)),
    type,
    ...(requested?.length === 4 ? { requested: [...requested].join('.') } : {}),
  };
}

// The reply to a DISCOVER (an offer) or a REQUEST (an ack, or a nak for another address).
export function dhcpReply(request: DhcpRequest, lease: DhcpLease | undefined, server: string): Buffer | undefined {
  if (!lease) return undefined;
  let type: number;
  if (request.type === DISCOVER) type = OFFER;
  else if (request.type === REQUEST)
    type = request.requested === undefined || request.requested === lease.ip ? ACK : NAK;
  else return undefined;
  const head = Buffer.alloc(240);
  head[0] = 2; // reply
  head[1] = 1; // Ethernet
  head[2] = 6;
  request.xid.copy(head, 4);
  head.writeUInt16BE(request.flags, 10);
  if (type !== NAK) ipBytes(lease.ip).copy(head, 16); // yiaddr
  ipBytes(server).copy(head, 20); // siaddr
  Buffer.from(request.mac.split(':').map((h) => Number.parseInt(h, 16))).copy(head, 28);
  cookie.copy(head, 236);
  const option = (code: number, value: Buffer) => Buffer.concat([Buffer.from([code, value.length]), value]);
  const seconds = Buffer.alloc(4);
  seconds.writeUInt32BE(lease.seconds);
  const options = [option(53, Buffer.from([type])), option(54, ipBytes(server))];
  if (type !== NAK) {
    options.push(
      option(51, seconds),
      option(1, ipBytes(lease.mask)),
      ...(lease.router === undefined ? [] : [option(3, ipBytes(lease.router))]),
      option(6, ipBytes(lease.dns)),
      option(15, Buffer.from(lease.domain)),
    );
  }
  return Buffer.concat([head, ...options, Buffer.from([255])]);
}
