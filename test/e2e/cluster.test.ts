// End to end: chapters 2 and 3 in a network namespace of the test's own, as root, under TCG.
// `kubenet run 30-cluster --yes` sets up the bridge, NAT, IP forwarding and kubenet's dnsmasq,
// makes each VM's disk and seed, and boots the tiny aarch64 test guests on the bridge: each gets
// its reserved address by DHCP, resolves the others by name through dnsmasq and pings them
// (their seeds ask for it). A second run then changes nothing, and `kubenet reset
// 21-shared-network --yes` removes what it set up. Nothing touches the host's own network; the
// namespace, its processes and the files go afterwards, whatever happened.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterHarness, clusterReady, clusterWhy, type ClusterHarness } from '../helpers/cluster-e2e.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('e2e: three VMs of the cluster on a bridge in a network namespace');
const hostForwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
let h: ClusterHarness | undefined;

test.before(async () => {
  if (clusterReady) h = await clusterHarness();
});
test.after(async () => {
  await h?.close();
});

test(
  'gateway, control0 and worker0 get their reserved ' + 'addresses by DHCP, resolve each other by name and ping',
  async () => {
    if (skipUnless(clusterReady, clusterWhy)) return;
    const out = await h!.bootAndPing({ gateway: '192.168.1.10', control0: '192.168.1.11', worker0: '192.168.1.12' }, [
      'gateway',
      'control0',
      'worker0.kubenet',
    ]);
    assert.match(out, 'as root — the bridge kubr0');
    assert.match(
      h!.ns.run(['ip', '-j', 'addr', 'show', 'dev', 'kubr0']).stdout,
      '"local":"192.168.1.1","prefixlen":24',
    );
    assert.match(h!.ns.run(['iptables', '-t', 'nat', '-S', 'KUBENET_NAT']).stdout, '-j MASQUERADE');
    assert.is(h!.ns.run(['cat', '/proc/sys/net/ipv4/ip_forward']).stdout, '1\n');
  },
);

test('a second run of the network changes nothing: every check finds its part done', async () => {
  if (skipUnless(clusterReady, clusterWhy)) return;
  const r = await h!.kubenet(['run', '21-shared-network', '--offline'], 120_000); // no --yes: nothing may need root
  assert.is(r.code, 0, r.out);
  assert.not.match(r.out, 'as root');
  assert.match(r.out, 'serves kubr0 already');
});

test('without --yes and without a terminal, a command that needs root is shown and not run', async () => {
  if (skipUnless(clusterReady, clusterWhy)) return;
  h!.ns.run(['ip', 'link', 'set', 'kubr0', 'down']);
  const r = await h!.kubenet(['run', 'bridge'], 60_000);
  assert.is(r.code, 2, r.out);
  assert.match(r.out, 'ip link set kubr0 up');
  assert.not.match(r.out, 'sudo ip link', 'kubenet runs as root: no sudo shown');
  assert.match(r.out, 'pass --yes');
  assert.not.match(h!.ns.run(['ip', 'link', 'show', 'kubr0']).stdout, ',UP');
  const again = await h!.kubenet(['run', 'bridge', '--yes'], 60_000);
  assert.is(again.code, 0, again.out);
  assert.not.match(again.out, 'ip link add', 'only what is missing runs');
});

test('reset takes the network down: dnsmasq, the NAT chain, the bridge, IP forwarding as it was', async () => {
  if (skipUnless(clusterReady, clusterWhy)) return;
  const pid = Number(readFileSync(join(h!.images, 'network', 'dnsmasq.pid'), 'utf8'));
  const r = await h!.kubenet(['reset', '21-shared-network', '--yes'], 60_000);
  assert.is(r.code, 0, r.out);
  assert.is.not(h!.ns.run(['ip', 'link', 'show', 'kubr0']).code, 0, 'the bridge is gone');
  assert.is.not(h!.ns.run(['iptables', '-t', 'nat', '-S', 'KUBENET_NAT']).code, 0, 'the chain is gone');
  assert.not.match(h!.ns.run(['iptables', '-t', 'nat', '-S', 'POSTROUTING']).stdout, 'KUBENET_NAT');
  assert.is(h!.ns.run(['cat', '/proc/sys/net/ipv4/ip_forward']).stdout, '0\n');
  assert.throws(() => process.kill(pid, 0), 'dnsmasq is gone');
});

test("the host's own network was never touched", () => {
  assert.is(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'), hostForwarding);
  assert.is.not(spawnSync('ip', ['link', 'show', 'kubr0']).status, 0);
});

test.run();
