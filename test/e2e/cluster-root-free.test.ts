// End to end, beyond the guide: the root-free network. With `network-mode: root-free` in
// kubenet.yaml, kubenet runs as an ordinary user (here: nobody, through setpriv) and nothing runs
// as root — no bridge, TAP, NAT or dnsmasq: the VMs' QEMUs connect to kubenet's own switch on a
// unix socket, which answers DHCP (fixed addresses by MAC) and DNS (the VMs' names). The three
// tiny guests get their addresses, resolve each other and ping; reset ends the switch. (In a
// network namespace all the same, so that a mistake could not reach the host's network.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { clusterHarness, clusterReady, clusterWhy, type ClusterHarness } from '../helpers/cluster-e2e.js';
import { skipUnless } from '../helpers/skip.js';
import { qemuProcessesIn } from '../helpers/processes.js';
import { guestMarkers } from '../helpers/test-guest.js';

const test = suite('e2e: the root-free network, as an ordinary user');
const nobody = 65534;
const ready = clusterReady && which('setpriv') !== undefined;
let h: ClusterHarness | undefined;

test.before(async () => {
  if (ready) h = await clusterHarness();
});
test.after(async () => {
  await h?.close();
});

test('three VMs get their reserved addresses, resolve each other by name and ping — nothing as root', async () => {
  if (skipUnless(ready, `${clusterWhy}, and setpriv (util-linux)`)) return;
  const vms = { gateway: '192.168.1.10', control0: '192.168.1.11', worker0: '192.168.1.12' };
  const peers = ['gateway', 'control0', 'worker0.kubenet'];
  await h!.prepare(vms, peers, '  network-mode: root-free\n');
  execFileSync('chown', ['-R', `${nobody}:${nobody}`, h!.dir]);
  const r = await h!.kubenet(
    ['run', '30-cluster', '--offline', '--until', 'KUBENET-GUEST: done', '--timeout', '600'],
    720_000,
    { as: nobody },
  );
  assert.is(r.code, 0, r.out);
  assert.not.match(r.out, 'as root');
  assert.not.match(r.out, 'sudo');
  for (const [vm, ip] of Object.entries(vms)) {
    const m = guestMarkers(readFileSync(join(h!.images, 'vm', vm, 'serial.log'), 'utf8'));
    assert.ok(m.includes(`KUBENET-GUEST: ip=${ip}/24`), `${vm}: ${m.join('\n')}`);
    assert.ok(m.includes('KUBENET-GUEST: resolv search kubenet nameserver 192.168.1.1'), `${vm}: ${m.join('\n')}`);
    for (const peer of peers)
      assert.ok(m.includes(`KUBENET-GUEST: ping ${peer} ok`), `${vm} pings ${peer}: ${m.join('\n')}`);
  }
  assert.is.not(h!.ns.run(['ip', 'link', 'show', 'kubr0']).code, 0, 'no bridge was made');
});

test(
  '--detach: the cluster runs on after kubenet exits, ' + 'status shows every VM, stop --all powers them off',
  async () => {
    if (skipUnless(ready, clusterWhy)) return;
    const vms = ['gateway', 'control0', 'worker0'];
    const r = await h!.kubenet(
      ['run', '30-cluster', '--offline', '--detach', '--until', 'KUBENET-GUEST: done', '--timeout', '600'],
      720_000,
      { as: nobody },
    );
    assert.is(r.code, 0, r.out);
    assert.match(r.out, 'all 3 VMs run in the background');
    assert.is(qemuProcessesIn(h!.images).length, 3, 'three QEMUs outlive kubenet');
    for (const vm of vms) {
      const m = guestMarkers(readFileSync(join(h!.images, 'vm', vm, 'serial.log'), 'utf8'));
      assert.ok(
        m.includes('KUBENET-GUEST: ping worker0.kubenet ok'),
        `${vm} reached its peers while the others were starting: ${m.join('\n')}`,
      );
    }
    const status = await h!.kubenet(['status', '--json'], 60_000, { as: nobody });
    assert.is(status.code, 0, status.out);
    const shown = JSON.parse(status.out) as Array<{ name: string; running: boolean; detached: boolean }>;
    for (const vm of vms)
      assert.ok(
        shown.some((s) => s.name === vm && s.running && s.detached),
        `${vm} in ${status.out}`,
      );
    const stopped = await h!.kubenet(['stop', '--all'], 120_000, { as: nobody });
    assert.is(stopped.code, 0, stopped.out);
    assert.equal(qemuProcessesIn(h!.images), [], 'every QEMU is gone');
  },
);

test('reset ends the switch and removes its socket, still without root', async () => {
  if (skipUnless(ready, clusterWhy)) return;
  const pid = Number(readFileSync(join(h!.images, 'network', 'usernet.pid'), 'utf8'));
  const r = await h!.kubenet(['reset', '21-shared-network', '--yes'], 60_000, { as: nobody });
  assert.is(r.code, 0, r.out);
  assert.throws(() => process.kill(pid, 0), 'the switch is gone');
  assert.not.ok(existsSync(join(h!.images, 'network', 'usernet.sock')));
});

test.run();
