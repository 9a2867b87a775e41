// Chapter 2, the guide's persistent set-up of the shared network: what survives a reboot —
// netplan's bridge, IP forwarding in sysctl.d, the KUBENET_NAT chain as a systemd service, and
// the system's dnsmasq configured, ordered after the network and serving the names in /etc/hosts
// (macOS: Homebrew's dnsmasq.conf and /etc/hosts). It changes the host for good, so nothing runs
// it but you: `kubenet run 22-host-network --dry-run` prints every command, and a run applies
// them, each file only when it differs, with your consent. Use it instead of 21-shared-network's
// kubenet-managed network, not with it: both would serve DHCP on the bridge.
import { guideDnsmasqLines, hostsLines, task, topology, type ShellCommand, type TaskContext } from 'kubenet';

// `cat <<EOF | sudo tee FILE` unless FILE already says exactly that.
async function teeUnlessSame({ $ }: TaskContext, file: string, text: string): Promise<ShellCommand[]> {
  const now = await $`sudo cat ${file}`.check();
  return now.exitCode === 0 && now.stdout === text ? [] : [$`tee ${file}`.stdin(text)];
}

// `sudo tee -a FILE` with the lines FILE does not have yet.
async function appendMissing({ $ }: TaskContext, file: string, lines: string[]): Promise<ShellCommand[]> {
  const now = await $`cat ${file}`.check();
  const have = new Set(now.exitCode === 0 ? now.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')) : []);
  const missing = lines.filter((l) => !have.has(l.trim().replace(/\s+/g, ' ')));
  return missing.length ? [$`tee -a ${file}`.stdin(`${missing.join('\n')}\n`)] : [];
}

const natScript = (bridge: string, subnet: string) => `#!/usr/bin/env sh

# Remove any previously added rules to keep the script idempotent
if iptables -t nat -L KUBENET_NAT > /dev/null 2>&1; then
  iptables -t nat -D POSTROUTING -j KUBENET_NAT
  iptables -t nat -F KUBENET_NAT
  iptables -t nat -X KUBENET_NAT
fi

iptables -t nat -N KUBENET_NAT
iptables -t nat -A POSTROUTING -j KUBENET_NAT
iptables -t nat -A KUBENET_NAT ! -o ${bridge} -s ${subnet} -j MASQUERADE
`;

const natUnit = `[Unit]
Description=Kubenet VM network NAT rules
After=network.target

[Service]
Type=oneshot
ExecStart=/usr/local/bin/kubenet-nat.sh

[Install]
WantedBy=multi-user.target
`;

const dnsmasqUnit = `[Unit]
Description=DNSmasq DNS and DHCP server
Wants=network-online.target
After=network-online.target

[Service]
Type=forking
ExecStart=/etc/init.d/dnsmasq start
ExecStop=/etc/init.d/dnsmasq stop

[Install]
WantedBy=multi-user.target
`;

// What the Linux edition's persistent steps do on a macOS host.
const macOnly = 'the step has nothing to do there';

export default task({
  name: '22-host-network',
  title: "The guide's persistent network set-up (netplan, sysctl.d, systemd units, /etc/hosts)",
  deps: [],
  needsRoot: "the host's persistent network set-up",
  main: 'persistent-dns',
  steps: [
    {
      name: 'persistent-bridge',
      title: 'Virtual bridge, persistent',
      summary: 'netplan makes the bridge at every boot',
      onlyIn: {
        edition: 'linux',
        otherwise: 'in the macOS edition vmnet-shared makes the bridge as a VM starts: none to keep',
        elsewhere: macOnly,
      },
      async make(ctx) {
        const { $, asRoot, hostOs, settings } = ctx;
        if (hostOs === 'darwin') return;
        const { bridge, hostIp, prefix } = topology(settings.cluster);
        const file = '/etc/netplan/99-kubenet.yaml';
        const tee = await teeUnlessSame(
          ctx,
          file,
          `network:\n  version: 2\n  bridges:\n    ${bridge}:\n      addresses: [${hostIp}/${prefix}]\n`,
        );
        await asRoot(
          `netplan makes the bridge ${bridge} with ${hostIp}/${prefix} at every boot`,
          tee.length ? [...tee, $`chmod 600 ${file}`, $`netplan apply`] : [],
        );
      },
    },
    {
      name: 'persistent-forwarding',
      title: 'IP forwarding, persistent',
      summary: 'sysctl.d turns IP forwarding on at every boot',
      onlyIn: {
        edition: 'linux',
        otherwise: "in the macOS edition vmnet-shared routes the VMs' traffic: there is no forwarding to keep",
        elsewhere: macOnly,
      },
      async make(ctx) {
        const { $, asRoot, hostOs } = ctx;
        if (hostOs === 'darwin') return;
        const file = '/etc/sysctl.d/50-ip-forward.conf';
        const tee = await teeUnlessSame(ctx, file, 'net.ipv4.ip_forward = 1\n');
        await asRoot(
          "the host forwards the VMs' packets, from every boot on",
          tee.length ? [...tee, $`sysctl -p ${file}`] : [],
        );
      },
    },
    {
      name: 'persistent-nat',
      title: 'NAT, persistent',
      summary: 'kubenet-nat.sh and a systemd unit that runs it at every boot',
      onlyIn: {
        edition: 'linux',
        otherwise: 'in the macOS edition vmnet-shared does its own NAT: there is none to keep',
        elsewhere: macOnly,
      },
      async make(ctx) {
        const { $, asRoot, hostOs, settings } = ctx;
        if (hostOs === 'darwin') return;
        const { bridge, subnet } = topology(settings.cluster);
        const script = await teeUnlessSame(ctx, '/usr/local/bin/kubenet-nat.sh', natScript(bridge, subnet));
        const unit = await teeUnlessSame(ctx, '/etc/systemd/system/kubenet-nat.service', natUnit);
        await asRoot('a systemd service sets up the KUBENET_NAT chain at every boot', [
          ...(script.length ? [...script, $`chmod +x /usr/local/bin/kubenet-nat.sh`] : []),
          ...unit,
          ...(script.length || unit.length
            ? [$`systemctl daemon-reload`, $`systemctl enable kubenet-nat`, $`systemctl start kubenet-nat`]
            : []),
        ]);
      },
    },
    {
      name: 'persistent-dns',
      title: 'dnsmasq and /etc/hosts, persistent',
      summary: "the system's dnsmasq serves the cluster, after the network is up; the names go into /etc/hosts",
      needs: ['persistent-bridge', 'persistent-forwarding', 'persistent-nat'],
      async make(ctx) {
        const { $, asRoot, hostOs, settings } = ctx;
        const topo = topology(settings.cluster);
        const mac = hostOs === 'darwin';
        const conf = mac ? '/opt/homebrew/etc/dnsmasq.conf' : '/etc/dnsmasq.conf';
        const lines = await appendMissing(ctx, conf, guideDnsmasqLines(topo, { bridge: !mac }));
        const hosts = await appendMissing(ctx, '/etc/hosts', hostsLines(topo));
        const unit = mac ? [] : await teeUnlessSame(ctx, '/etc/systemd/system/dnsmasq.service', dnsmasqUnit);
        await asRoot(
          `the system's dnsmasq serves DHCP and DNS for the cluster (${conf}), with the VMs' names in /etc/hosts`,
          [
            ...lines,
            ...hosts,
            ...(unit.length
              ? [...unit, $`update-rc.d dnsmasq disable`, $`systemctl daemon-reload`, $`systemctl enable dnsmasq`]
              : []),
            // macOS: 21-shared-network's dnsmasq step restarts it the guide's way (a VM must run)
            ...(!mac && (lines.length || hosts.length || unit.length) ? [$`systemctl restart dnsmasq`] : []),
          ],
        );
      },
    },
  ],
});
