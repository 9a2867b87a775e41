// The cluster end-to-end tests' harness: a temp folder whose images/ holds the tiny aarch64 cloud
// image (fetched, outside the namespace, from a local mirror), a network namespace of the
// test's own, kubenet run inside it, and the learner's edits a test makes — kubenet.yaml's
// cluster: (small VMs, how many) and the user-data templates (what the test guest does).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { which } from '../../lib/host/which.js';
import { binPath, kubenetAsync, testEnv } from './cli.js';
import { publish, startFaultServer, type FaultServer } from './fault-server.js';
import { canMakeNetns, createNetns, type Netns } from './netns.js';
import { killQemuIn, qemuProcessesIn } from './processes.js';
import { GUEST_MARKERS as G, guestMarkers, testGuest } from './test-guest.js';
import { tempDir } from './tmp.js';

export const clusterReady = canMakeNetns() && which('dnsmasq') !== undefined && which('iptables') !== undefined;
export const clusterWhy = 'needs root, iproute2, iptables and dnsmasq (apt-get install iproute2 iptables dnsmasq-base)';

export interface ClusterHarness {
  dir: string;
  images: string;
  ns: Netns;
  // kubenet in the namespace, with --images (and --arch aarch64 for commands that take it: not
  // status or stop).
  kubenet(args: string[], timeoutMs: number, options?: { as?: number }): Promise<{ code: number | null; out: string }>;
  // Writes kubenet.yaml (as many VMs as `vms` names) and the templates (ping `peers`, then stay).
  prepare(vms: Record<string, string>, peers: string[], extra?: string): Promise<void>;
  // prepare, then 30-cluster until every guest says done, checking each VM's address, resolver
  // and pings. `vms`: name → reserved address.
  bootAndPing(vms: Record<string, string>, peers: string[]): Promise<string>;
  close(): Promise<void>;
}

// Small VMs: the guide's resources are for Ubuntu, and the host has two cores.
const config = (controls: number, workers: number) => `cluster:
  controls: ${controls}
  workers: ${workers}
  resources:
    gateway: { cpus: 1, memory: 320M }
    control: { cpus: 1, memory: 320M }
    worker: { cpus: 1, memory: 320M }
`;

// The learner's templates: the guide's, plus what the test guest acts on.
const userData = (peers: string[]) => `#cloud-config
#kubenet-test-guest: ping ${peers.join(' ')}
#kubenet-test-guest: stay
password: ubuntu
ssh_authorized_keys:
  - \${ssh_public_key}
`;

export async function clusterHarness(): Promise<ClusterHarness> {
  const dir = tempDir('kubenet-e2e-cluster-');
  const images = join(dir.path, 'images');
  let server: FaultServer | undefined;
  let ns: Netns | undefined;
  const close = async () => {
    ns?.remove();
    killQemuIn(images);
    await server?.close();
    dir.remove();
  };
  try {
    const guest = await testGuest('aarch64');
    server = await startFaultServer();
    publish(
      server,
      'https://cloud-images.ubuntu.com/jammy/current/',
      'jammy-server-cloudimg-arm64.img',
      readFileSync(guest.cloudImage),
    );
    // The namespace has no way to the test's HTTP server: the download is made first, outside it.
    const r = await kubenetAsync(
      ['prefetch', 'cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images],
      { cwd: dir.path },
    );
    assert.is(r.code, 0, r.stderr);
    ns = createNetns();
  } catch (error) {
    await close();
    throw error;
  }
  const inside = ns;
  const prepare = async (vms: Record<string, string>, peers: string[], extra = '') => {
    const names = Object.keys(vms);
    writeFileSync(
      join(dir.path, 'kubenet.yaml'),
      config(names.filter((v) => v.startsWith('control')).length, names.filter((v) => v.startsWith('worker')).length) +
        extra,
    );
    mkdirSync(join(images, 'cloud-init'), { recursive: true });
    for (const type of ['gateway', 'control', 'worker'])
      writeFileSync(join(images, 'cloud-init', `user-data.${type}`), userData(peers));
  };
  const kubenet = (args: string[], timeoutMs: number, options: { as?: number } = {}) => {
    const arch = ['status', 'stop'].includes(args[0]!) ? [] : ['--arch', 'aarch64'];
    return runIn(inside, dir.path, [...args, ...arch, '--images', images], timeoutMs, options.as);
  };
  return {
    dir: dir.path,
    images,
    ns: inside,
    kubenet,
    prepare,
    async bootAndPing(vms, peers) {
      await prepare(vms, peers);
      // 10 minutes for the boot, 12 for the whole command (TCG on two shared cores).
      const r = await kubenet(
        ['run', '30-cluster', '--yes', '--offline', '--until', 'KUBENET-GUEST: done', '--timeout', '600'],
        720_000,
      );
      assert.is(r.code, 0, r.out);
      for (const [vm, ip] of Object.entries(vms)) {
        const m = guestMarkers(readFileSync(join(images, 'vm', vm, 'serial.log'), 'utf8'));
        const said = `${vm}:\n${m.join('\n')}`;
        assert.ok(m.includes(`${G.localHostname}${vm}`), said);
        assert.ok(m.includes(`${G.ip}${ip}/24`), said);
        assert.ok(m.includes(`${G.resolver}search kubenet nameserver 192.168.1.1`), said);
        for (const peer of peers) {
          assert.ok(m.includes(`${G.resolved}${peer} ${vms[peer.replace(/\.kubenet$/, '')]}`), said);
          assert.ok(m.includes(`${G.ping}${peer} ok`), said);
        }
      }
      assert.equal(qemuProcessesIn(images), [], 'every QEMU is gone');
      return r.out;
    },
    close,
  };
}

// kubenet inside the namespace, killed after timeoutMs; its output kept for assertion messages.
// `as`: a user id to run kubenet as instead of root (setpriv drops everything else).
export function runIn(
  ns: Netns,
  cwd: string,
  args: string[],
  timeoutMs: number,
  as?: number,
): Promise<{ code: number | null; out: string }> {
  const user = as === undefined ? [] : ['setpriv', `--reuid=${as}`, `--regid=${as}`, '--clear-groups', '--'];
  const argv = ns.argv([...user, process.execPath, binPath, ...args]);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env: { ...process.env, ...testEnv, HOME: join(cwd, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
