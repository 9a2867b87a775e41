// Looks at this machine once for doctor: what host-probe/detect.ts inspects for every run (QEMU, its
// version, firmware, the accelerator tried for real), plus what only doctor checks — ssh, free
// space, and (only when vmnet needs it) whether sudo works without a password.
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspectHost } from '../host-probe/detect.js';
import type { Accel, NetMode, Profile } from '../host/types.js';
import { which } from '../host/which.js';
import type { Paths } from '../paths.js';
import { runProcess } from '../process/run-process.js';
import { defaultNet } from '../task/host-vars.js';
import type { ClusterConfig } from '../settings/topology.js';
import type { ClusterFacts, HostDescription } from './host-description.js';
import { topology } from '../settings/topology.js';
import { collisions, freeNetwork } from '../cluster/address-collision.js';

// What a command printed, or '' when it did not succeed within `timeoutMs`.
const output = async (file: string, args: string[], timeoutMs: number) => {
  const r = await runProcess(file, args, { timeoutMs });
  return r.exitCode === 0 ? r.stdout : '';
};
const works = async (file: string, args: string[], timeoutMs: number) =>
  (await runProcess(file, args, { timeoutMs })).exitCode === 0;

export interface GatherInput {
  profile: Profile;
  cluster?: ClusterConfig; // kubenet.yaml's cluster:, for chapters 2–3's checks (Linux)
  paths: Paths;
  net?: NetMode;
  accel?: Accel;
  firmware?: string;
  pending: HostDescription['pending']; // downloads still to come (see download-sizes.ts)
  env?: NodeJS.ProcessEnv;
}

export async function gatherHost({
  profile,
  paths,
  net,
  accel,
  firmware,
  pending,
  cluster,
  env = process.env,
}: GatherInput): Promise<HostDescription> {
  const host = await inspectHost({ profile, accel, firmware, env });
  const tools: HostDescription['tools'] = {
    ...(host.qemu ? { qemu: host.qemu } : {}),
    ...(host.qemuImg ? { 'qemu-img': host.qemuImg } : {}),
  };
  for (const tool of ['ssh', 'ssh-keygen', 'sudo', 'cfssl', 'cfssljson', 'kubectl'] as const) {
    const path = which(tool, env);
    if (path) tools[tool] = path;
  }
  const mode: NetMode = net ?? defaultNet(profile.hostOs);
  const isRoot = process.getuid?.() === 0;
  return {
    profile,
    net: mode,
    tools,
    ...(host.versionOutput === undefined ? {} : { qemuVersionOutput: host.versionOutput }),
    firmware: host.firmware,
    accel: host.accel,
    ...(host.kvmDevice ? { kvmDevice: host.kvmDevice } : {}),
    ...(host.kvmModule ? { kvmModule: host.kvmModule } : {}),
    ...(tools.kubectl ? { kubectlWorks: await kubectlWorks(tools.kubectl) } : {}),
    isRoot,
    ...(mode.startsWith('vmnet') && !isRoot && tools.sudo ? { sudoWithoutPassword: await sudoWorks(tools.sudo) } : {}),
    disk: await freeSpace(paths.root),
    pending,
    ...(profile.hostOs === 'linux' ? { cluster: await clusterFacts(cluster, env) } : {}),
  };
}

// What chapters 2–3 need here: the cluster's /24 free (ip's own view of addresses and routes),
// the tools, the bridge module and /dev/net/tun.
async function clusterFacts(config: ClusterConfig | undefined, env: NodeJS.ProcessEnv): Promise<ClusterFacts> {
  const topo = topology(config);
  const tools: ClusterFacts['tools'] = {};
  for (const tool of ['ip', 'iptables', 'dnsmasq', 'tmux'] as const) {
    const path =
      which(tool, env) ??
      (tool === 'iptables' || tool === 'dnsmasq'
        ? ['/usr/sbin', '/sbin'].map((d) => `${d}/${tool}`).find(exists)
        : undefined);
    if (path) tools[tool] = path;
  }
  const ip = async (...args: string[]) => (tools.ip ? output(tools.ip, ['-j', ...args], 5_000) : '');
  const [addresses, routes] = await Promise.all([ip('addr', 'show'), ip('route', 'show')]);
  const release = (await output('uname', ['-r'], 5_000)).trim();
  const bridgeModule = exists('/sys/module/bridge')
    ? 'loaded'
    : exists(`/lib/modules/${release}/kernel/net/bridge`)
      ? 'available'
      : 'missing';
  const free = freeNetwork(addresses, routes, topo.bridge);
  return {
    mode: topo.mode,
    subnet: topo.subnet,
    collisions: collisions(addresses, routes, topo.subnet, topo.bridge),
    ...(free ? { free } : {}),
    tools,
    bridgeModule,
    tun: exists('/dev/net/tun') ? 'present' : 'missing',
  };
}

const exists = (path: string) => canStat(path);

// Whether kubectl can write a kubeconfig: Debian 12's kubernetes-client cannot (it crashes in
// set-credentials). Tried on a file in a temp folder, then removed.
async function kubectlWorks(kubectl: string): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'kubenet-doctor-'));
  try {
    const kubeconfig = `--kubeconfig=${join(dir, 'config')}`;
    return await works(kubectl, ['config', 'set-credentials', 'doctor', '--token=probe', kubeconfig], 10_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `sudo -n true` never prompts: it succeeds only when sudo would not ask for a password.
const sudoWorks = (sudo: string): Promise<boolean> => works(sudo, ['-n', 'true'], 5_000);

// images/ may not exist yet: measure the nearest folder that does.
async function freeSpace(root: string): Promise<HostDescription['disk']> {
  let dir = root;
  while (!canStat(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const s = await statfs(dir);
    return { path: root, freeBytes: s.bavail * s.bsize };
  } catch (error) {
    return { path: root, error: (error as Error).message };
  }
}

function canStat(path: string): boolean {
  try {
    accessSync(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
