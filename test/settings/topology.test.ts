// The cluster as data: the guide's names, ids, MACs, addresses and resources by default, and
// what kubenet.yaml's cluster: changes — checked before any work.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import { clusterConfigOf, findVm, topology } from '../../lib/settings/topology.js';

const test = suite('cluster topology');

test("the guide's seven VMs: ids 0–6, MAC 52:52:52:00:00:<id>, IP 192.168.1.(10+id), workers bigger", () => {
  const t = topology();
  assert.equal(
    t.vms.map((vm) => [vm.id, vm.name, vm.type, vm.mac, vm.ip, vm.smp, vm.memory]),
    [
      [0, 'gateway', 'gateway', '52:52:52:00:00:00', '192.168.1.10', 2, '2G'],
      [1, 'control0', 'control', '52:52:52:00:00:01', '192.168.1.11', 2, '2G'],
      [2, 'control1', 'control', '52:52:52:00:00:02', '192.168.1.12', 2, '2G'],
      [3, 'control2', 'control', '52:52:52:00:00:03', '192.168.1.13', 2, '2G'],
      [4, 'worker0', 'worker', '52:52:52:00:00:04', '192.168.1.14', 4, '4G'],
      [5, 'worker1', 'worker', '52:52:52:00:00:05', '192.168.1.15', 4, '4G'],
      [6, 'worker2', 'worker', '52:52:52:00:00:06', '192.168.1.16', 4, '4G'],
    ],
  );
  assert.equal(
    [t.domain, t.bridge, t.hostIp, t.subnet, t.netmask, t.diskSize],
    ['kubenet', 'kubr0', '192.168.1.1', '192.168.1.0/24', '255.255.255.0', '20G'],
  );
  assert.equal(t.dhcpRange, { start: '192.168.1.2', end: '192.168.1.20', lease: '12h' });
  assert.equal(t.extraHosts, [
    { name: 'vmhost', ip: '192.168.1.1' },
    { name: 'kubernetes', ip: '192.168.1.21' },
  ]);
});

test('kubenet.yaml changes counts, network, domain and resources; MACs are two hex digits', () => {
  const t = topology({
    controls: 1,
    workers: 12,
    network: '10.0.5',
    domain: 'lab.test',
    resources: { worker: { memory: '6G' } },
  });
  assert.is(t.vms.length, 14);
  assert.equal(t.vms.at(-1), {
    id: 13,
    name: 'worker11',
    type: 'worker',
    mac: '52:52:52:00:00:0d',
    userMac: '52:52:52:01:00:0d',
    ip: '10.0.5.23',
    smp: 4,
    memory: '6G',
  });
  assert.is(t.dhcpRange.end, '10.0.5.24', 'the range reaches past the last VM');
  assert.is(t.extraHosts[1]!.ip, '10.0.5.25', 'the API address stays outside it');
});

test("a VM by name or by the guide's id, as vmlaunch.sh takes it", () => {
  const t = topology();
  assert.is(findVm(t, 'worker1')?.id, 5);
  assert.is(findVm(t, '5')?.name, 'worker1');
  assert.is(findVm(t, '7'), undefined);
  assert.is(findVm(t, 'worker3'), undefined);
});

const bad: [string, unknown, RegExp][] = [
  ['a network that is not three octets', { network: '192.168.1.0' }, /network 192\.168\.1\.0 is not/],
  ['a count out of range', { workers: -1 }, /workers -1 is not a whole number/],
  ['a memory that is not a size', { resources: { worker: { memory: 'lots' } } }, /resources\.worker\.memory lots/],
  ['no CPUs', { resources: { control: { cpus: 0 } } }, /resources\.control\.cpus 0/],
  ['a bridge name too long for Linux', { bridge: 'a-very-long-bridge' }, /bridge a-very-long-bridge/],
];
for (const [what, config, message] of bad) {
  test(`refused with a usage error: ${what}`, () => {
    try {
      topology(config as never);
      assert.unreachable();
    } catch (error) {
      assert.ok(isKubenetError(error));
      assert.is(error.code, ExitCode.usage);
      assert.match(error.message, message);
    }
  });
}

test(
  'the cluster: mapping read from YAML: unknown keys and ' + 'types are named, numbers become strings where sizes are',
  () => {
    assert.equal(clusterConfigOf({ workers: 2, resources: { worker: { cpus: 1, memory: 512 } } }, 'kubenet.yaml'), {
      workers: 2,
      resources: { worker: { cpus: 1, memory: '512' } },
    });
    assert.throws(() => clusterConfigOf({ worker: 2 }, 'kubenet.yaml'), /unknown cluster setting "worker"/);
    assert.throws(
      () => clusterConfigOf({ resources: { node: {} } }, 'kubenet.yaml'),
      /cluster\.resources\.node: no such VM type/,
    );
    assert.throws(() => clusterConfigOf('big', 'kubenet.yaml'), /cluster must be a mapping/);
  },
);

test.run();
