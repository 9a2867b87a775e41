// Ethernet, ARP, IPv4, UDP and ICMP frames as the root-free network's host side reads and writes
// them: plain Buffers, no sockets. Only what DHCP, DNS, ARP and ping between VMs need.

export const broadcastMac = Buffer.alloc(6, 0xff);
export const etherIpv4 = 0x0800;
export const etherArp = 0x0806;

export const macBytes = (mac: string): Buffer => Buffer.from(mac.split(':').map((h) => Number.parseInt(h, 16)));
export const macText = (bytes: Buffer): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
export const ipBytes = (ip: string): Buffer => Buffer.from(ip.split('.').map(Number));
export const ipText = (bytes: Buffer): string => [...bytes].join('.');

export interface Ethernet {
  dst: Buffer;
  src: Buffer;
  type: number;
  payload: Buffer;
}

export function parseEthernet(frame: Buffer): Ethernet | undefined {
  if (frame.length < 14) return undefined;
  return {
    dst: frame.subarray(0, 6),
    src: frame.subarray(6, 12),
    type: frame.readUInt16BE(12),
    payload: frame.subarray(14),
  };
}

export const ethernet = (dst: Buffer, src: Buffer, type: number, payload: Buffer): Buffer => {
  const head = Buffer.alloc(14);
  dst.copy(head, 0);
  src.copy(head, 6);
  head.writeUInt16BE(type, 12);
  return Buffer.concat([head, payload]);
};

// The Internet checksum (RFC 1071) of the bytes.
export function checksum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += bytes.readUInt16BE(i);
  if (bytes.length % 2) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface Ipv4 {
  src: Buffer;
  dst: Buffer;
  protocol: number; // 1 ICMP, 17 UDP
  payload: Buffer;
}

export function parseIpv4(packet: Buffer): Ipv4 | undefined {
  if (packet.length < 20 || packet[0]! >> 4 !== 4) return undefined;
  const headerLength = (packet[0]! & 0x0f) * 4;
  const total = packet.readUInt16BE(2);
  return {
    protocol: packet[9]!,
    src: packet.subarray(12, 16),
    dst: packet.subarray(16, 20),
    payload: packet.subarray(headerLength, Math.min(total, packet.length)),
  };
}

export function ipv4(src: Buffer, dst: Buffer, protocol: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(20);
  head[0] = 0x45;
  head.writeUInt16BE(20 + payload.length, 2);
  head[6] = 0x40; // don't fragment
  head[8] = 64; // TTL
  head[9] = protocol;
  src.copy(head, 12);
  dst.copy(head, 16);
  head.writeUInt16BE(checksum(head), 10);
  return Buffer.concat([head, payload]);
}

export interface Udp {
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

export function parseUdp(datagram: Buffer): Udp | undefined {
  if (datagram.length < 8) return undefined;
  return {
    srcPort: datagram.readUInt16BE(0),
    dstPort: datagram.readUInt16BE(2),
    payload: datagram.subarray(8, datagram.readUInt16BE(4)),
  };
}

// UDP over IPv4 may go without a checksum (0): the Ethernet frame has its own.
export function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(srcPort, 0);
  head.writeUInt16BE(dstPort, 2);
  head.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([head, payload]);
}

// An ICMP echo reply to an echo request (type 8), same id, sequence and data.
export function echoReply(request: Buffer): Buffer | undefined {
  if (request.length < 8 || request[0] !== 8) return undefined;
  const reply = Buffer.from(request);
  reply[0] = 0;
  reply.writeUInt16BE(0, 2);
  reply.writeUInt16BE(checksum(reply), 2);
  return reply;
}

// An ARP reply to a request for `ip`, answered with `mac`; undefined for anything else.
export function arpReply(request: Buffer, ip: Buffer, mac: Buffer): Buffer | undefined {
  if (request.length < 28 || request.readUInt16BE(6) !== 1 || !request.subarray(24, 28).equals(ip)) return undefined;
  const reply = Buffer.alloc(28);
  request.copy(reply, 0, 0, 6); // hardware and protocol types, sizes
  reply.writeUInt16BE(2, 6); // reply
  mac.copy(reply, 8);
  ip.copy(reply, 14);
  request.copy(reply, 18, 8, 14); // to the asker's MAC
  request.copy(reply, 24, 14, 18); // and address
  return reply;
}
