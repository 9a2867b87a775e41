import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addressOf, parseLeases } from '../../lib/ssh/dhcp-leases.js';

const test = suite('dhcp leases');

// The shape macOS writes to /var/db/dhcpd_leases.
const leases = `{
\tname=ubuntu0
\tip_address=192.168.64.3
\thw_address=1,52:54:0:12:34:56
\tidentifier=1,52:54:0:12:34:56
\tlease=0x65a1b2c3
}
{
\tname=other
\tip_address=192.168.64.4
\thw_address=1,52:54:0:aa:bb:cc
\tlease=0x65a1b2c9
}
{
\tname=ubuntu0
\tip_address=192.168.64.7
\thw_address=1,52:54:0:12:34:57
\tlease=0x65a1c000
}
`;

test('parses every block', () => {
  const parsed = parseLeases(leases);
  assert.is(parsed.length, 3);
  assert.equal(parsed[1], {
    name: 'other',
    ipAddress: '192.168.64.4',
    hwAddress: '1,52:54:0:aa:bb:cc',
    lease: 0x65a1b2c9,
  });
});

test('the newest lease for a hostname wins', () => {
  assert.is(addressOf('ubuntu0', parseLeases(leases)), '192.168.64.7');
});

test('an unknown hostname has no address', () => {
  assert.is(addressOf('control0', parseLeases(leases)), undefined);
  assert.is(addressOf('ubuntu0', parseLeases('')), undefined);
});

test.run();
