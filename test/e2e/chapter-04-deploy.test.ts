// End to end: chapter 4's files delivered to real guests. In a network namespace of the test's
// own, two VMs of the real cloud-init guest (Debian's cloud-init and OpenSSH, served as the
// Ubuntu cloud image) run on the cluster's bridge, control0 and worker0, detached; the gateway
// is left off. `kubenet run 44-deploy-auth` makes the CA, certificates, kubeconfigs and key with
// the real cfssl and kubectl, then copies each VM's share of deployauth.sh over kubenet's ssh:
// the files arrive with owner ubuntu, the host's mode and content; a rerun copies nothing; an
// edited request reaches only the VM that holds its certificate; a wrong mode there is set right;
// and the gateway, which is down, is reported within seconds while the others get their files.
// One boot of two guests (~3–5 minutes under TCG); every other check reuses it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubenetError } from '../../lib/errors.js';
import { haveAuthTools, authToolsWhy } from '../helpers/auth-sandbox.js';
import { kubenetAsync } from '../helpers/cli.js';
import { clusterReady, clusterWhy, runIn } from '../helpers/cluster-e2e.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { createNetns, type Netns } from '../helpers/netns.js';
import { killQemuIn } from '../helpers/processes.js';
import { realGuest } from '../helpers/real-guest.js';
import { skipUnless } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: chapter 4 delivered to real guests on the bridge');
let dir: ReturnType<typeof tempDir> | undefined;
let server: FaultServer | undefined;
let ns: Netns | undefined;
let images = '';
let missing: string | undefined;
let up: { code: number | null; out: string } | undefined;

const control = [
  'ca.pem',
  'ca-key.pem',
  'kubernetes-key.pem',
  'kubernetes.pem',
  'service-account-key.pem',
  'service-account.pem',
  'admin.kubeconfig',
  'kube-controller-manager.kubeconfig',
  'kube-scheduler.kubeconfig',
  'encryption-config.yaml',
  'control0.pem',
  'control0-key.pem',
  'control0.kubeconfig',
  'kube-proxy.kubeconfig',
];
const worker = ['ca.pem', 'worker0.pem', 'worker0-key.pem', 'worker0.kubeconfig', 'kube-proxy.kubeconfig'];

// kubenet in the namespace; its options go before a `--` (what follows is the VM's command).
const kubenet = (args: string[], timeoutMs = 300_000) => {
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  return runIn(
    ns!,
    dir!.path,
    [...args.slice(0, end), '--arch', 'x86_64', '--images', images, ...args.slice(end)],
    timeoutMs,
  );
};
// On the VM, per file: mode, owner, mtime and SHA-256.
async function onVm(
  vm: string,
  files: string[],
): Promise<Map<string, { mode: string; owner: string; mtime: string; sha256: string }>> {
  const r = await kubenet(
    ['ssh', vm, '--', `stat -c '%a %U %Y %n' ${files.join(' ')}; sha256sum ${files.join(' ')}`],
    120_000,
  );
  assert.is(r.code, 0, r.out);
  const out = new Map<string, { mode: string; owner: string; mtime: string; sha256: string }>();
  for (const m of r.out.matchAll(/^(\d{3}) (\S+) (\d+) (\S+)$/gm))
    out.set(m[4]!, { mode: m[1]!, owner: m[2]!, mtime: m[3]!, sha256: '' });
  for (const m of r.out.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)) out.get(m[2]!)!.sha256 = m[1]!;
  return out;
}
const local = (file: string) => ({
  mode: (statSync(join(images, 'auth', file)).mode & 0o777).toString(8),
  sha256: createHash('sha256')
    .update(readFileSync(join(images, 'auth', file)))
    .digest('hex'),
});

test.before(async () => {
  if (!clusterReady || !haveAuthTools) return;
  const guest = await realGuest().catch((error: KubenetError) => error);
  if (guest instanceof Error) {
    missing = `the real guest cannot be built here: ${guest.message}; ${guest.hint ?? ''}`;
    return;
  }
  dir = tempDir('kubenet-e2e-auth-');
  images = join(dir.path, 'images');
  server = await startFaultServer();
  publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    'jammy-server-cloudimg-amd64.img',
    readFileSync(guest.cloudImage),
  );
  const r = await kubenetAsync(
    ['prefetch', 'cloud-img', '--arch', 'x86_64', '--mirror', server.url, '--images', images],
    { cwd: dir.path },
  );
  if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  writeFileSync(
    join(dir.path, 'kubenet.yaml'),
    'accel: tcg\ncluster:\n  controls: 1\n  workers: 1\n  resources:\n    ' +
      'control: { cpus: 1, memory: 1G }\n    worker: { cpus: 1, memory: 1G }\n',
  );
  mkdirSync(join(dir.path, 'home'));
  ns = createNetns();
  // Both guests, in the background, until each one's sshd takes kubenet's key.
  up = await kubenet(
    [
      'run',
      '30-cluster',
      '--vm',
      'control0,worker0',
      '--yes',
      '--offline',
      '--detach',
      '--until',
      'ssh',
      '--timeout',
      '900',
    ],
    1_000_000,
  );
});
test.after(async () => {
  ns?.remove();
  if (images) killQemuIn(images);
  await server?.close();
  dir?.remove();
});

const ready = () =>
  !skipUnless(clusterReady, clusterWhy) && !skipUnless(haveAuthTools, authToolsWhy) && !skipUnless(!missing, missing!);

test("each VM gets deployauth.sh's files for it, owned by ubuntu, with the host's mode and content", async () => {
  if (!ready()) return;
  assert.is(up!.code, 0, up!.out);
  const r = await kubenet(['run', '44-deploy-auth', '--vm', 'control0,worker0']);
  assert.is(r.code, 0, r.out);
  assert.match(r.out, `control0: copied ${control.join(', ')} (0 of 14 already there)`);
  assert.match(r.out, `worker0: copied ${worker.join(', ')} (0 of 5 already there)`);
  for (const [vm, files] of [
    ['control0', control],
    ['worker0', worker],
  ] as const) {
    const there = await onVm(vm, files);
    for (const f of files) {
      const seen = there.get(f);
      assert.ok(seen, `${vm}: ${f}`);
      assert.equal(
        { mode: seen!.mode, owner: seen!.owner, sha256: seen!.sha256 },
        { ...local(f), owner: 'ubuntu' },
        `${vm}: ${f}`,
      );
    }
  }
  assert.is(local('ca-key.pem').mode, '600');
  assert.is(local('admin.kubeconfig').mode, '600');
});

test(
  'a rerun copies nothing; an edited request reaches only the ' +
    'VM holding its certificate; a wrong mode there is set right',
  async () => {
    if (!ready()) return;
    const before = await onVm('control0', control);
    const again = await kubenet(['run', '44-deploy-auth', '--vm', 'control0,worker0']);
    assert.is(again.code, 0, again.out);
    assert.match(again.out, 'control0: all 14 files already there');
    assert.match(again.out, 'worker0: all 5 files already there');
    assert.equal(await onVm('control0', control), before, 'not one file touched on the VM');
    writeFileSync(
      join(images, 'auth', 'kube-scheduler-csr.json'),
      readFileSync(join(images, 'auth', 'kube-scheduler-csr.json'), 'utf8').replace('Krakow', 'Gdansk'),
    );
    const chmod = await kubenet(['ssh', 'control0', '--', 'chmod 644 ca-key.pem']);
    assert.is(chmod.code, 0, chmod.out);
    const changed = await kubenet(['run', '44-deploy-auth', '--vm', 'control0,worker0']);
    assert.is(changed.code, 0, changed.out);
    assert.match(
      changed.out,
      'control0: copied kube-scheduler.kubeconfig; set the mode of ca-key.pem (12 of 14 already there)',
    );
    assert.match(changed.out, 'worker0: all 5 files already there');
    const after = await onVm('control0', ['kube-scheduler.kubeconfig', 'ca-key.pem']);
    assert.equal(
      { ...after.get('kube-scheduler.kubeconfig'), mtime: '' },
      { ...local('kube-scheduler.kubeconfig'), owner: 'ubuntu', mtime: '' },
    );
    assert.is(after.get('ca-key.pem')!.mode, '600');
  },
);

test('the gateway is down: reported within seconds, while the VMs that run get their files', async () => {
  if (!ready()) return;
  const started = performance.now();
  const r = await kubenet(['run', '44-deploy-auth'], 120_000);
  const seconds = (performance.now() - started) / 1000;
  assert.is(r.code, 30, r.out);
  assert.match(r.out, 'kubenet: gateway (192.168.1.10): no sshd answered within 5 s — nothing copied to it');
  assert.match(r.out, 'control0: all 14 files already there');
  assert.match(r.out, 'worker0: all 5 files already there');
  assert.ok(seconds < 60, `took ${seconds.toFixed(1)} s`);
});

test.run();
