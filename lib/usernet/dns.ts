// DNS (RFC 1035) as the root-free network's host side answers it: the names of the topology's
// hosts, bare and in the domain, as dnsmasq's hosts file with expand-hosts does. Any other name
// is NXDOMAIN: this network has no way out, so nothing is forwarded.
import { ipBytes } from './packets.js';

export interface DnsQuestion {
  id: number;
  name: string; // lower case, no trailing dot
  type: number; // 1 A, 28 AAAA, …
  question: Buffer; // the question section as asked, echoed in the answer
  recursionDesired: boolean;
}

export function parseDnsQuery(message: Buffer): DnsQuestion | undefined {
  if (message.length < 12 || message[2]! & 0x80 || message.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let i = 12;
  while (i < message.length && message[i] !== 0) {
    const length = message[i]!;
    if (length > 63) return undefined; // no compression in a question
    labels.push(message.subarray(i + 1, i + 1 + length).toString('ascii'));
    i += 1 + length;
  }
  if (i + 5 > message.length) return undefined;
  return {
    id: message.readUInt16BE(0),
    name: labels.join('.').toLowerCase(),
    type: message.readUInt16BE(i + 1),
    question: message.subarray(12, i + 5),
    recursionDesired: Boolean(message[2]! & 1),
  };
}

// The answer: the address of a known name (A), no data for its other types, NXDOMAIN otherwise.
export function dnsAnswer(q: DnsQuestion, addressOf: (name: string) => string | undefined): Buffer {
  const address = addressOf(q.name);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(q.id, 0);
  head[2] = 0x84 | (q.recursionDesired ? 1 : 0); // a response, authoritative
  head[3] = 0x80 | (address === undefined ? 3 : 0); // recursion available; NXDOMAIN for an unknown name
  head.writeUInt16BE(1, 4);
  const answers = address !== undefined && q.type === 1;
  head.writeUInt16BE(answers ? 1 : 0, 6);
  if (!answers) return Buffer.concat([head, q.question]);
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc00c, 0); // the name: the question's, at offset 12
  record.writeUInt16BE(1, 2); // A
  record.writeUInt16BE(1, 4); // IN
  record.writeUInt32BE(60, 6); // TTL
  record.writeUInt16BE(4, 10);
  ipBytes(address).copy(record, 12);
  return Buffer.concat([head, q.question, record]);
}
