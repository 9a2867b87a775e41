// DHCP as the root-free network serves it: a known MAC gets its fixed address with the subnet,
// router, DNS server and domain; another address is refused; an unknown MAC gets nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dhcpReply, parseDhcp } from '../../lib/usernet/dhcp.js';

const test = suite('usernet dhcp');
const lease = {
  ip: '192.168.1.11',
  mask: '255.255.255.0',
  router: '192.168.1.1',
  dns: '192.168.1.1',
  domain: 'kubenet',
  seconds: 43200,
};

// A client's message as udhcpc sends it: BOOTREQUEST, xid, MAC, the cookie, options.
function request(type: number, requested?: string): Buffer {
  const head = Buffer.alloc(240);
  head[0] = 1;
  head[1] = 1;
  head[2] = 6;
  head.writeUInt32BE(0xdeadbeef, 4);
  Buffer.from([0x52, 0x52, 0x52, 0, 0, 1]).copy(head, 28);
  Buffer.from([99, 130, 83, 99]).copy(head, 236);
  const options = [
    53,
    1,
    type,
    ...(requested ? [50, 4, ...requested.split('.').map(Number)] : []),
    12,
    8,
    ...Buffer.from('control0'),
    255,
  ];
  return Buffer.concat([head, Buffer.from(options)]);
}

// The options of a reply, by code.
function options(reply: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (let i = 240; reply[i] !== 255; i += 2 + reply[i + 1]!)
    out.set(reply[i]!, reply.subarray(i + 2, i + 2 + reply[i + 1]!));
  return out;
}

test('a DISCOVER from a known MAC gets an OFFER of its address, with router, DNS and domain', () => {
  const parsed = parseDhcp(request(1))!;
  assert.equal([parsed.mac, parsed.type], ['52:52:52:00:00:01', 1]);
  const reply = dhcpReply(parsed, lease, '192.168.1.1')!;
  assert.is(reply[0], 2);
  assert.is(reply.readUInt32BE(4), 0xdeadbeef);
  assert.equal([...reply.subarray(16, 20)], [192, 168, 1, 11]);
  const o = options(reply);
  assert.equal([...o.get(53)!], [2]);
  assert.equal([...o.get(1)!], [255, 255, 255, 0]);
  assert.equal([...o.get(3)!], [192, 168, 1, 1]);
  assert.equal([...o.get(6)!], [192, 168, 1, 1]);
  assert.is(o.get(15)!.toString(), 'kubenet');
  assert.is(o.get(51)!.readUInt32BE(0), 43200);
});

test('a lease without a router offers no default route: the root-free VMs go out by their user-mode NIC', () => {
  const { router: _, ...noRouter } = lease;
  const o = options(dhcpReply(parseDhcp(request(1))!, noRouter, '192.168.1.1')!);
  assert.not.ok(o.has(3), 'no router option');
  assert.equal([...o.get(1)!], [255, 255, 255, 0]);
  assert.equal([...o.get(6)!], [192, 168, 1, 1]);
});

test('a REQUEST for its address is ACKed; for another, NAKed; an unknown MAC gets no answer', () => {
  assert.equal([...options(dhcpReply(parseDhcp(request(3, '192.168.1.11'))!, lease, '192.168.1.1')!).get(53)!], [5]);
  assert.equal([...options(dhcpReply(parseDhcp(request(3, '192.168.1.99'))!, lease, '192.168.1.1')!).get(53)!], [6]);
  assert.is(dhcpReply(parseDhcp(request(1))!, undefined, '192.168.1.1'), undefined);
});

test("anything that is not a client's DHCP message is not read as one", () => {
  assert.is(parseDhcp(Buffer.alloc(100)), undefined);
  const reply = request(1);
  reply[0] = 2;
  assert.is(parseDhcp(reply), undefined);
});

test.run();
