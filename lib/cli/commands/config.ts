// `kubenet config`: the settings the next command would use, and where each one comes from.
import { topology } from '../../settings/topology.js';
import { shownUrl } from '../../download/source-url.js';
import { settingKeys } from '../../settings/setting-kinds.js';
import type { CommandInput } from '../command-input.js';

export async function config({ options, settings, profile }: CommandInput<'config'>): Promise<number> {
  const effective: Record<string, unknown> = {
    images: settings.images,
    arch: settings.arch ?? `${profile.guestArch} (this host's)`,
    accel: settings.accel ?? 'probed by 00-qemu',
    firmware: settings.firmware ?? 'found by 00-qemu',
    // never its credentials
    mirror: settings.mirror === undefined ? 'none: upstream over https' : shownUrl(settings.mirror),
    offline: settings.offline,
    cache: settings.cache ?? 'off: every images/ folder downloads its own',
    'require-signature': settings.requireSignature === true,
    'trusted-keys': settings.trustedKeys ?? "Ubuntu's image-signing keys, shipped with kubenet",
    net: settings.net ?? (profile.hostOs === 'darwin' ? 'vmnet-shared' : 'user'),
    memory: settings.memory ?? '2G',
    smp: settings.smp ?? 2,
    'disk-size': settings.diskSize ?? '128G',
    'user-data': settings.userData ?? "the guide's (password: ubuntu) with your SSH key",
    tasks: settings.tasks ?? './tasks when there is one',
    'live-iso': settings.liveIso ? shownUrl(settings.liveIso) : "found: the guide's URL, else jammy's released ISO",
  };
  const topo = topology(settings.cluster);
  const cluster =
    `${topo.vms.length} VMs (${topo.vms.map((vm) => `${vm.name} ${vm.ip} ${vm.smp}/${vm.memory}`).join(', ')}), ` +
    `domain ${topo.domain}, ` +
    `${topo.mode === 'bridge' ? `bridge ${topo.bridge}` : 'root-free network'} ${topo.subnet}`;
  const rows = [
    ...settingKeys.map((key) => ({ key, value: effective[key], from: settings.sources[key] ?? 'default' })),
    { key: 'cluster', value: cluster, from: settings.sources.cluster ?? 'default' },
  ];
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.key.length));
  process.stdout.write(
    rows
      .map((r) => `${r.key.padEnd(width)}  ${String(r.value)}` + (r.from === 'default' ? '' : `   (${r.from})`))
      .join('\n') + '\n',
  );
  return 0;
}
