// What chapters 2–3 need of a Linux host: the cluster's /24 free here, ip, iptables, dnsmasq, the
// bridge module and /dev/net/tun (the guide's network), tmux (its launch scripts' panes). Warnings,
// not failures: chapter 1 needs none of it.
import { ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

const packages = { ip: 'iproute2', iptables: 'iptables', dnsmasq: 'dnsmasq-base', tmux: 'tmux' } as const;
const fedora = { ip: 'iproute', iptables: 'iptables-nft', dnsmasq: 'dnsmasq', tmux: 'tmux' } as const;

export function checkCluster(host: HostDescription): CheckResult[] {
  const c = host.cluster;
  if (!c) return [];
  if (c.mode === 'root-free')
    return [
      ok(
        'cluster network',
        `root-free (kubenet.yaml): no bridge, NAT or dnsmasq needed; ${c.subnet} stays inside kubenet's switch`,
      ),
    ];
  const results: CheckResult[] = [
    c.collisions.length
      ? warn(
          'cluster network',
          `${c.subnet} is in use on this host: ${c.collisions.map((x) => `${x.dev} (${x.what})`).join(', ')}; ` +
            `the cluster's bridge would clash with it`,
          `give the cluster a free range in kubenet.yaml: cluster: network: ${c.free ?? 'A.B.C'}`,
        )
      : ok('cluster network', `${c.subnet} is free on this host`),
  ];
  for (const tool of ['ip', 'iptables', 'dnsmasq'] as const) {
    results.push(
      c.tools[tool]
        ? ok(tool, c.tools[tool]!)
        : warn(
            tool,
            `not found: chapter 2's network needs it`,
            `sudo apt-get install ${packages[tool]}   (Fedora: sudo dnf install ${fedora[tool]})`,
          ),
    );
  }
  results.push(
    c.tools.tmux
      ? ok('tmux', c.tools.tmux)
      : warn(
          'tmux',
          'not found: kubenet run 30-cluster supervises the VMs in this terminal instead of tmux panes',
          `sudo apt-get install tmux   (Fedora: sudo dnf install tmux)`,
        ),
  );
  results.push(
    c.bridgeModule === 'missing'
      ? warn(
          'bridge module',
          "the kernel has no bridge module: the cluster's bridge cannot be made",
          "install your kernel's modules (Debian: linux-image-$(uname -r)), or use cluster: network-mode: root-free",
        )
      : ok('bridge module', c.bridgeModule === 'loaded' ? 'loaded' : 'available (loaded when the bridge is made)'),
  );
  results.push(
    c.tun === 'present'
      ? ok('/dev/net/tun', "present: QEMU can make the VMs' TAP interfaces")
      : warn(
          '/dev/net/tun',
          'missing: QEMU cannot make TAP interfaces',
          'sudo modprobe tun, or use cluster: network-mode: root-free',
        ),
  );
  return results;
}
