// dnsmasq's settings and the hosts file, from the topology: the guide's lines in its order, and
// what kubenet's own dnsmasq adds to leave the host alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideDnsmasqLines, hostsLines, managedDnsmasqConf } from '../../lib/cluster/dnsmasq-config.js';
import { topology } from '../../lib/settings/topology.js';

const test = suite('dnsmasq configuration');
const files = { hosts: '/i/network/hosts', pidFile: '/i/network/dnsmasq.pid', leases: '/i/network/dnsmasq.leases' };

test("the Linux edition's lines; macOS's have no bridge to bind to", () => {
  const lines = guideDnsmasqLines(topology({ controls: 1, workers: 0 }));
  assert.equal(lines, [
    'interface=kubr0',
    'bind-interfaces',
    'dhcp-range=192.168.1.2,192.168.1.20,12h',
    'dhcp-host=52:52:52:00:00:00,192.168.1.10',
    'dhcp-host=52:52:52:00:00:01,192.168.1.11',
    'dhcp-authoritative',
    'domain=kubenet',
    'expand-hosts',
  ]);
  assert.equal(guideDnsmasqLines(topology(), { bridge: false }).slice(0, 1), [
    'dhcp-range=192.168.1.2,192.168.1.20,12h',
  ]);
});

test('the hosts lines: the host first, the VMs, the API address last, aligned as the guide aligns them', () => {
  const lines = hostsLines(topology({ controls: 1, workers: 1 }));
  assert.equal(lines, [
    '192.168.1.1   vmhost',
    '192.168.1.10  gateway',
    '192.168.1.11  control0',
    '192.168.1.12  worker0',
    '192.168.1.21  kubernetes',
  ]);
});

test("kubenet's own dnsmasq: not the host's /etc/hosts, its files under images/, not on the loopback interface", () => {
  const conf = managedDnsmasqConf(topology(), files).split('\n');
  for (const line of [
    'no-hosts',
    'addn-hosts=/i/network/hosts',
    'dhcp-leasefile=/i/network/dnsmasq.leases',
    'pid-file=/i/network/dnsmasq.pid',
    'except-interface=lo',
    'interface=kubr0',
    'dhcp-authoritative',
  ]) {
    assert.ok(conf.includes(line), line);
  }
});

test.run();
