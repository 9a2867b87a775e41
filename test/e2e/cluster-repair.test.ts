// End to end, as root in a network namespace: the network under running VMs. One tiny guest runs
// detached on kubenet's bridge; the bridge is then deleted under it by hand (its TAP survives:
// QEMU holds it). A network run makes the bridge anew and puts the running VM's TAP back on it;
// reset is refused while the VM runs, before anything is taken down; starting the running VM
// again is a no-op; stop --all ends it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterHarness, clusterReady, clusterWhy, type ClusterHarness } from '../helpers/cluster-e2e.js';
import { qemuProcessesIn } from '../helpers/processes.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('e2e: the network under running VMs');
let h: ClusterHarness | undefined;

test.before(async () => {
  if (clusterReady) h = await clusterHarness();
});
test.after(async () => {
  await h?.close();
});

const master = (tap: string) =>
  (JSON.parse(h!.ns.run(['ip', '-j', 'link', 'show', tap]).stdout || '[{}]') as { master?: string }[])[0]?.master;
const taps = () =>
  (JSON.parse(h!.ns.run(['ip', '-j', 'link', 'show', 'type', 'tun']).stdout || '[]') as { ifname: string }[]).map(
    (l) => l.ifname,
  );

test(
  'a bridge made anew under a running VM gets its TAP back; ' +
    'reset is refused before any change; a second start is a no-op',
  async () => {
    if (skipUnless(clusterReady, clusterWhy)) return;
    await h!.prepare({ gateway: '192.168.1.10' }, ['gateway']);
    const up = await h!.kubenet(['run', '30-cluster', '--yes', '--offline', '--detach', '--timeout', '300'], 420_000);
    assert.is(up.code, 0, up.out);
    const [tap] = taps();
    assert.ok(tap, `a TAP: ${h!.ns.run(['ip', 'link']).stdout}`);
    assert.is(master(tap!), 'kubr0');

    h!.ns.run(['ip', 'link', 'del', 'kubr0']);
    assert.is(master(tap!), undefined, 'the TAP lost its bridge');
    const repair = await h!.kubenet(['run', '21-shared-network', '--yes', '--offline'], 120_000);
    assert.is(repair.code, 0, repair.out);
    assert.match(repair.out, `the running VMs' TAP interfaces back on kubr0 (${tap})`);
    assert.is(master(tap!), 'kubr0', 'back on the new bridge');

    const pid = Number(readFileSync(join(h!.images, 'network', 'dnsmasq.pid'), 'utf8'));
    const reset = await h!.kubenet(['reset', '21-shared-network', '--yes'], 60_000);
    assert.is(reset.code, 30, reset.out);
    assert.match(reset.out, /gateway is running \(pid \d+\): not resetting 21-shared-network; nothing was changed/);
    assert.is(h!.ns.run(['ip', 'link', 'show', 'kubr0']).code, 0, 'the bridge is still there');
    assert.match(h!.ns.run(['iptables', '-t', 'nat', '-S', 'KUBENET_NAT']).stdout, 'MASQUERADE');
    assert.ok(process.kill(pid, 0), 'dnsmasq still runs');

    const again = await h!.kubenet(['run', '30-cluster', '--yes', '--offline', '--detach'], 120_000);
    assert.is(again.code, 0, again.out);
    assert.match(again.out, /gateway is up already \(pid \d+, detached\): nothing to start/);
    assert.not.match(again.out, 'This run needs root', 'nothing to ask for: the VM runs and the network is there');

    const stop = await h!.kubenet(['stop', '--all', '--grace', '1'], 120_000);
    assert.is(stop.code, 0, stop.out);
    assert.equal(qemuProcessesIn(h!.images), []);
  },
);

test.run();
