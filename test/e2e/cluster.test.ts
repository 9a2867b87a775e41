// End to end: chapters 2 and 3 in a network namespace of the test's own, as root, under TCG.
// `kubenet run 30-cluster --yes` sets up the bridge, NAT, IP forwarding and kubenet's dnsmasq,
// makes each VM's disk and seed, and boots the tiny aarch64 test guests on the bridge: each gets
// its reserved address by DHCP, resolves the others by name through dnsmasq and pings them
// (their seeds ask for it: the user-data templates below, as a learner edits them). Then a
// second run changes nothing, and `kubenet reset 21-shared-network --yes` removes what it set up.
// Nothing touches the host's own network; the namespace, its processes and the files go after.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath, kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { canMakeNetns, createNetns, type Netns } from '../helpers/netns.js';
import { killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { skipUnless } from '../helpers/skip.js';
import { guestMarkers, testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';
import { which } from '../../lib/host/which.js';

const test = suite('e2e: the cluster on a bridge in a network namespace');
const ready = canMakeNetns() && which('dnsmasq') !== undefined && which('iptables') !== undefined;
const why = 'needs root, iproute2, iptables and dnsmasq (apt-get install iproute2 iptables dnsmasq-base)';

let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let ns: Netns | undefined;
let images: string;
const hostForwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');

// Small VMs (the guide's resources are for Ubuntu), and three of the seven: gateway, control0, worker0.
const config = (controls: number, workers: number) => `cluster:
  controls: ${controls}
  workers: ${workers}
  resources:
    gateway: { cpus: 1, memory: 320M }
    control: { cpus: 1, memory: 320M }
    worker: { cpus: 1, memory: 320M }
`;

// The learner's templates: the guide's, plus what the test guest acts on.
const userData = (peers: string) => `#cloud-config
#kubenet-test-guest: ping ${peers}
#kubenet-test-guest: stay
password: ubuntu
ssh_authorized_keys:
  - \${ssh_public_key}
`;

test.before(async () => {
  if (!ready) return;
  dir = tempDir('kubenet-e2e-cluster-');
  images = join(dir.path, 'images');
  const guest = await testGuest('aarch64');
  server = await startFaultServer();
  publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', 'jammy-server-cloudimg-arm64.img', readFileSync(guest.cloudImage));
  // The namespace has no way to the test's HTTP server: the download is made first, outside it.
  const r = await kubenetAsync(['prefetch', 'cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images], { cwd: dir.path });
  assert.is(r.code, 0, r.stderr);
  ns = createNetns();
});

test.after(async () => {
  ns?.remove();
  if (images) killQemuIn(images);
  await server?.close();
  dir?.remove();
});

// kubenet inside the namespace, bounded; output kept for the assertion messages.
function kubenetInNs(args: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  const argv = ns!.argv([process.execPath, binPath, ...args, '--arch', 'aarch64', '--images', images]);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: dir.path, env: { ...process.env, CI: 'true', HOME: join(dir.path, 'home') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kubenet ${args.join(' ')} did not finish in ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const markersOf = (vm: string) => guestMarkers(readFileSync(join(images, 'vm', vm, 'serial.log'), 'utf8'));

const clusterCase = (vms: Record<string, string>, peers: string) => async () => {
  if (skipUnless(ready, why)) return;
  writeFileSync(join(dir.path, 'kubenet.yaml'), config(Object.keys(vms).filter((v) => v.startsWith('control')).length, Object.keys(vms).filter((v) => v.startsWith('worker')).length));
  mkdirSync(join(images, 'cloud-init'), { recursive: true });
  for (const type of ['gateway', 'control', 'worker']) writeFileSync(join(images, 'cloud-init', `user-data.${type}`), userData(peers));
  // 10 minutes for the boot, 12 for the whole command (TCG on two shared cores).
  const r = await kubenetInNs(['run', '30-cluster', '--yes', '--offline', '--until', 'KUBENET-GUEST: done', '--timeout', '600'], 720_000);
  assert.is(r.code, 0, r.out);
  for (const [vm, ip] of Object.entries(vms)) {
    const m = markersOf(vm);
    assert.ok(m.includes(`KUBENET-GUEST: local-hostname=${vm}`), m.join('\n'));
    assert.ok(m.includes(`KUBENET-GUEST: ip=${ip}/24`), `${vm}: ${m.join('\n')}`);
    assert.ok(m.includes('KUBENET-GUEST: resolv search kubenet nameserver 192.168.1.1'), `${vm}: ${m.join('\n')}`);
    for (const peer of peers.split(' ')) {
      assert.ok(m.includes(`KUBENET-GUEST: resolve ${peer} ${vms[peer.replace('.kubenet', '')]}`), `${vm} resolves ${peer}: ${m.join('\n')}`);
      assert.ok(m.includes(`KUBENET-GUEST: ping ${peer} ok`), `${vm} pings ${peer}: ${m.join('\n')}`);
    }
  }
  assert.equal(qemuProcessesIn(images), [], 'every QEMU is gone');
  return r.out;
};

test('three VMs get their reserved addresses by DHCP, resolve each other by name and ping', async () => {
  const out = await clusterCase({ gateway: '192.168.1.10', control0: '192.168.1.11', worker0: '192.168.1.12' }, 'gateway control0 worker0.kubenet')();
  if (out === undefined) return;
  assert.match(out, 'as root — the bridge kubr0');
  const bridge = ns!.run(['ip', '-j', 'addr', 'show', 'dev', 'kubr0']);
  assert.match(bridge.stdout, '"local":"192.168.1.1","prefixlen":24');
  assert.match(ns!.run(['iptables', '-t', 'nat', '-S', 'KUBENET_NAT']).stdout, '-j MASQUERADE');
  assert.is(ns!.run(['cat', '/proc/sys/net/ipv4/ip_forward']).stdout, '1\n');
});

test('a second run of the network changes nothing: every check finds its part done', async () => {
  if (skipUnless(ready, why)) return;
  const r = await kubenetInNs(['run', '21-shared-network', '--offline'], 120_000); // no --yes: nothing may need root
  assert.is(r.code, 0, r.out);
  assert.not.match(r.out, 'as root');
  assert.match(r.out, 'serves kubr0 already');
});

test('reset takes the network down: dnsmasq, the NAT chain, the bridge, IP forwarding as it was', async () => {
  if (skipUnless(ready, why)) return;
  const pid = Number(readFileSync(join(images, 'network', 'dnsmasq.pid'), 'utf8'));
  const r = await kubenetInNs(['reset', '21-shared-network', '--yes'], 60_000);
  assert.is(r.code, 0, r.out);
  assert.is.not(ns!.run(['ip', 'link', 'show', 'kubr0']).code, 0, 'the bridge is gone');
  assert.is.not(ns!.run(['iptables', '-t', 'nat', '-S', 'KUBENET_NAT']).code, 0, 'the chain is gone');
  assert.not.match(ns!.run(['iptables', '-t', 'nat', '-S', 'POSTROUTING']).stdout, 'KUBENET_NAT');
  assert.is(ns!.run(['cat', '/proc/sys/net/ipv4/ip_forward']).stdout, '0\n');
  assert.throws(() => process.kill(pid, 0), 'dnsmasq is gone');
});

test("the host's own network was never touched", () => {
  assert.is(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8'), hostForwarding);
  assert.is.not(spawnSync('ip', ['link', 'show', 'kubr0']).status, 0);
});

test.run();
