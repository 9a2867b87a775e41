// What the network steps read before they act: ip's JSON for the bridge, iptables' rules for the
// chain; a failed look means nothing is there yet.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bridgeState, natChainReady } from '../../lib/cluster/network-state.js';

const test = suite('network state');
const ip = (link: object) => ({ exitCode: 0, stdout: JSON.stringify([link]) });

test('no bridge: every part is missing', () => {
  assert.equal(bridgeState({ exitCode: 1, stdout: '' }, 'kubr0', '192.168.1.1/24'), {
    exists: false,
    up: false,
    addressed: false,
  });
});

test('a bridge that is down and has no address, then one that is up with it', () => {
  assert.equal(
    bridgeState(
      ip({ ifindex: 7, ifname: 'kubr0', flags: ['BROADCAST'], linkinfo: { info_kind: 'bridge' }, addr_info: [] }),
      'kubr0',
      '192.168.1.1/24',
    ),
    { exists: true, up: false, addressed: false, ifindex: 7, addresses: [] },
  );
  const ready = ip({
    ifindex: 7,
    ifname: 'kubr0',
    flags: ['BROADCAST', 'UP'],
    linkinfo: { info_kind: 'bridge' },
    addr_info: [{ family: 'inet', local: '192.168.1.1', prefixlen: 24 }],
  });
  assert.equal(bridgeState(ready, 'kubr0', '192.168.1.1/24'), {
    exists: true,
    up: true,
    addressed: true,
    ifindex: 7,
    addresses: ['192.168.1.1/24'],
  });
  assert.is(bridgeState(ready, 'kubr0', '192.168.1.1/16').addressed, false, 'another length is not the address');
});

test('an interface of that name that is not a bridge is refused by name', () => {
  assert.throws(
    () =>
      bridgeState(ip({ ifname: 'kubr0', flags: ['UP'], linkinfo: { info_kind: 'veth' } }), 'kubr0', '192.168.1.1/24'),
    /kubr0 exists and is a veth interface/,
  );
});

test('the chain is ready when its MASQUERADE rule is there, in whatever order iptables prints the matches', () => {
  const nft = { exitCode: 0, stdout: '-N KUBENET_NAT\n-A KUBENET_NAT -s 192.168.1.0/24 ! -o kubr0 -j MASQUERADE\n' };
  assert.ok(natChainReady(nft, 'kubr0', '192.168.1.0/24'));
  assert.not.ok(
    natChainReady({ exitCode: 0, stdout: '-N KUBENET_NAT\n' }, 'kubr0', '192.168.1.0/24'),
    'an empty chain',
  );
  assert.not.ok(natChainReady(nft, 'kubr1', '192.168.1.0/24'), 'another bridge');
  assert.not.ok(natChainReady({ exitCode: 1, stdout: '' }, 'kubr0', '192.168.1.0/24'), 'no chain');
});

test.run();
