// Is the cluster's /24 in use on this host? Read from ip's JSON as a table: an address or a route
// on another interface that overlaps it is named with its interface; the cluster's own bridge,
// the default route and loopback are not collisions; a free /24 is offered.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collisions, freeNetwork, overlaps } from '../../lib/cluster/address-collision.js';

const test = suite('address collision');
const addr = (links: Array<[string, string[]]>) =>
  JSON.stringify(
    links.map(([ifname, addresses]) => ({
      ifname,
      addr_info: addresses.map((a) => ({ family: 'inet', local: a.split('/')[0], prefixlen: Number(a.split('/')[1]) })),
    })),
  );
const route = (routes: Array<[string, string]>) => JSON.stringify(routes.map(([dst, dev]) => ({ dst, dev })));

test('prefixes overlap when they agree on the shorter one', () => {
  const cases: Array<[string, number, string, number, boolean]> = [
    ['192.168.1.23', 24, '192.168.1.0', 24, true],
    ['192.168.0.0', 16, '192.168.1.0', 24, true],
    ['192.168.2.1', 24, '192.168.1.0', 24, false],
    ['10.0.0.0', 8, '192.168.1.0', 24, false],
    ['192.168.1.200', 32, '192.168.1.0', 24, true],
  ];
  for (const [a, al, b, bl, want] of cases) assert.is(overlaps(a, al, b, bl), want, `${a}/${al} ${b}/${bl}`);
});

test(
  'a home LAN on 192.168.1.0/24 collides, named with its ' +
    'interface; the cluster bridge and the default route do not',
  () => {
    const a = addr([
      ['lo', ['127.0.0.1/8']],
      ['wlan0', ['192.168.1.23/24']],
      ['kubr0', ['192.168.1.1/24']],
    ]);
    const r = route([
      ['default', 'wlan0'],
      ['192.168.1.0/24', 'wlan0'],
      ['192.168.1.0/24', 'kubr0'],
    ]);
    assert.equal(collisions(a, r, '192.168.1.0/24', 'kubr0'), [{ dev: 'wlan0', what: '192.168.1.23/24' }]);
    assert.equal(collisions(a, r, '192.168.100.0/24', 'kubr0'), []);
  },
);

test("a route alone (a VPN's 192.168.0.0/16) collides too", () => {
  assert.equal(
    collisions(addr([['eth0', ['10.1.2.3/24']]]), route([['192.168.0.0/16', 'tun0']]), '192.168.1.0/24', 'kubr0'),
    [{ dev: 'tun0', what: 'the route 192.168.0.0/16' }],
  );
});

test('the free network offered is one nothing uses', () => {
  const a = addr([
    ['eth0', ['192.168.100.5/24']],
    ['eth1', ['192.168.101.5/24']],
  ]);
  assert.is(freeNetwork(a, route([]), 'kubr0'), '192.168.102');
  assert.is(freeNetwork(addr([]), route([['192.168.0.0/16', 'tun0']]), 'kubr0'), undefined);
});

test("output that is not ip's JSON finds nothing", () => {
  assert.equal(collisions('', 'not json', '192.168.1.0/24', 'kubr0'), []);
});

test.run();
