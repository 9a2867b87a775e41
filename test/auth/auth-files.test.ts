// Chapter 4's lists from the topology: genauth.sh's order for a cluster of any shape, each VM's
// share of deployauth.sh per edition, and which files are secrets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  deliveries,
  deliveryOrder,
  interleaved,
  isSecret,
  kubeconfigs,
  scriptOrder,
} from '../../lib/auth/auth-files.js';
import { apiServerHosts } from '../../lib/auth/csr-documents.js';
import { findVm, topology } from '../../lib/settings/topology.js';

const test = suite('auth files');

test("genauth.sh's loop goes control$i, worker$i — and on when there are more of one kind", () => {
  assert.equal(
    interleaved(topology({ controls: 3, workers: 1 })).map((v) => v.name),
    ['control0', 'worker0', 'control1', 'control2'],
  );
  assert.equal(
    scriptOrder(topology({ controls: 1, workers: 0 })).map((c) => c.name),
    ['kubernetes', 'admin', 'kube-scheduler', 'kube-controller-manager', 'kube-proxy', 'service-account', 'control0'],
  );
  assert.equal(
    kubeconfigs(topology({ controls: 1, workers: 2 }))
      .map((k) => k.user)
      .slice(4),
    ['system:node:control0', 'system:node:worker0', 'system:node:worker1'],
  );
});

test("the API server's SANs follow the topology: its control nodes and the virtual IP past the VMs", () => {
  const hosts = apiServerHosts(topology({ controls: 4, workers: 8, domain: 'lab', network: '10.0.0' }));
  assert.ok(hosts.includes('control3.lab') && hosts.includes('10.0.0.14'));
  assert.ok(hosts.includes('10.0.0.24'), 'the virtual IP of 13 VMs: .24, past .22');
  assert.is(hosts.at(-1), '127.0.0.1');
});

test('deployauth.sh: controls, then workers, then the gateway — which gets ca.pem in the Linux edition only', () => {
  const topo = topology();
  assert.equal(
    deliveryOrder(topo).map((v) => v.name),
    ['control0', 'control1', 'control2', 'worker0', 'worker1', 'worker2', 'gateway'],
  );
  assert.equal(deliveries(findVm(topo, 'gateway')!, 'linux'), ['ca.pem']);
  assert.equal(deliveries(findVm(topo, 'gateway')!, 'darwin'), []);
  assert.equal(deliveries(findVm(topo, 'worker1')!, 'darwin'), [
    'ca.pem',
    'worker1.pem',
    'worker1-key.pem',
    'worker1.kubeconfig',
    'kube-proxy.kubeconfig',
  ]);
  assert.is(deliveries(findVm(topo, 'control2')!, 'linux').length, 14);
});

test('secrets: keys, kubeconfigs and the encryption config', () => {
  assert.equal(
    ['ca-key.pem', 'admin.kubeconfig', 'encryption-config.yaml', 'ca.pem', 'admin.csr', 'admin-csr.json'].map(isSecret),
    [true, true, true, false, false, false],
  );
});

test.run();
