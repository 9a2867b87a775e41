// DNS as the root-free network answers it: a known name's address, nothing for its other types,
// NXDOMAIN for any other name.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dnsAnswer, parseDnsQuery } from '../../lib/usernet/dns.js';

const test = suite('usernet dns');
const names: Record<string, string> = { worker0: '192.168.1.14', 'worker0.kubenet': '192.168.1.14' };

function query(name: string, type = 1): Buffer {
  const labels = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  const head = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([head, Buffer.from([...labels, 0, 0, type, 0, 1])]);
}

test('an A query for a known name, in any case, is answered with its address', () => {
  const q = parseDnsQuery(query('Worker0.KUBENET'))!;
  assert.equal([q.id, q.name, q.type, q.recursionDesired], [0x1234, 'worker0.kubenet', 1, true]);
  const a = dnsAnswer(q, (n) => names[n]);
  assert.equal([a.readUInt16BE(0), a[3]! & 0x0f, a.readUInt16BE(6)], [0x1234, 0, 1]);
  assert.equal([...a.subarray(-4)], [192, 168, 1, 14]);
});

test('AAAA for a known name: no data, no error; an unknown name: NXDOMAIN', () => {
  const aaaa = dnsAnswer(parseDnsQuery(query('worker0', 28))!, (n) => names[n]);
  assert.equal([aaaa[3]! & 0x0f, aaaa.readUInt16BE(6)], [0, 0]);
  const unknown = dnsAnswer(parseDnsQuery(query('example.com'))!, (n) => names[n]);
  assert.equal([unknown[3]! & 0x0f, unknown.readUInt16BE(6)], [3, 0]);
});

test('a response, or a message too short, is not read as a query', () => {
  const response = query('worker0');
  response[2]! |= 0x80;
  assert.is(parseDnsQuery(response), undefined);
  assert.is(parseDnsQuery(Buffer.alloc(5)), undefined);
});

test.run();
