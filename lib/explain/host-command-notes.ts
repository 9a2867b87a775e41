// The host's own commands in chapters 2 and 3 — the bridge, forwarding, NAT, dnsmasq, the
// persistent set-up — explained whole: each is short, and its words only mean something
// together. Keys are the command with its variable words as NAME, FILE, …; `match` finds them.
import type { OptionNote } from './option-note.js';

interface HostNote extends OptionNote {
  match: RegExp; // over the argv joined by single spaces
}

const word = '\\S+';

export const hostCommandNotes: Record<string, HostNote> = {
  'ip link add NAME type bridge': {
    match: new RegExp(`^ip link add ${word} type bridge$`),
    what: 'make a virtual bridge: a switch inside the host that interfaces can be plugged into',
    why: "the VMs' TAP interfaces and the host join it, so they share one layer 2 network",
  },
  'ip link set NAME up': {
    match: new RegExp(`^ip link set ${word} up$`),
    what: 'bring the interface up',
    why: 'a bridge that is down forwards nothing',
  },
  'ip addr add ADDRESS dev NAME': {
    match: new RegExp(`^ip addr add ${word} dev ${word}$`),
    what: (v) => `give the host an address on the bridge: ${v.split(' ')[3]}`,
    why: "the host is the VMs' router, DHCP and DNS server at this address (.1 in the guide)",
  },
  'ip link del NAME': {
    match: new RegExp(`^ip link del ${word}$`),
    what: 'delete the interface',
    why: 'kubenet reset takes the bridge down with everything on it',
  },
  'sysctl net.ipv4.ip_forward=VALUE': {
    match: /^sysctl net\.ipv4\.ip_forward=\d$/,
    what: (v) => `set the kernel's IPv4 forwarding to ${v.split('=')[1]} (until reboot)`,
    why:
      "with 1 the host routes packets between the VMs' bridge and its other " +
      'interfaces: the VMs reach the internet; reset puts the old value back',
  },
  'sysctl -p FILE': {
    match: new RegExp(`^sysctl -p ${word}$`),
    what: 'apply the settings in the file now',
    why: 'the file applies at boot; this applies it without a reboot',
  },
  'iptables -t nat -N KUBENET_NAT': {
    match: /^iptables -t nat -N KUBENET_NAT$/,
    what: 'make a chain of rules named KUBENET_NAT in the nat table',
    why: "kubenet's rules in a chain of their own: easy to find, replace and remove",
  },
  'iptables -t nat -A POSTROUTING -j KUBENET_NAT': {
    match: /^iptables -t nat -A POSTROUTING -j KUBENET_NAT$/,
    what: 'send every packet about to leave the host through KUBENET_NAT',
    why: 'POSTROUTING is where source addresses are rewritten',
  },
  'iptables -t nat -A KUBENET_NAT ! -o BRIDGE -s SUBNET -j MASQUERADE': {
    match: /^iptables -t nat -A KUBENET_NAT ! -o \S+ -s \S+ -j MASQUERADE$/,
    what:
      "rewrite the source of packets from the VMs' subnet that leave " +
      "by any interface but the bridge to the host's own address",
    why:
      "the outside world can answer the host, not the VMs' private " +
      'addresses; traffic between VMs (and, later, pods) keeps its addresses',
  },
  'iptables -t nat -D POSTROUTING -j KUBENET_NAT': {
    match: /^iptables -t nat -D POSTROUTING -j KUBENET_NAT$/,
    what: 'unhook the KUBENET_NAT chain',
    why: 'a chain still in use cannot be deleted',
  },
  'iptables -t nat -F KUBENET_NAT': {
    match: /^iptables -t nat -F KUBENET_NAT$/,
    what: 'empty the KUBENET_NAT chain',
    why: "made afresh (the guide's kubenet-nat.sh), or removed by reset",
  },
  'iptables -t nat -X KUBENET_NAT': {
    match: /^iptables -t nat -X KUBENET_NAT$/,
    what: 'delete the empty KUBENET_NAT chain',
    why: "made afresh (the guide's kubenet-nat.sh), or removed by reset",
  },
  'dnsmasq --conf-file=FILE': {
    match: /^dnsmasq --conf-file=\S+$/,
    what: (v) =>
      `start a dnsmasq of kubenet's own with ${v.split('=')[1]}: the guide's ` +
      `settings plus its own hosts, pid and lease files under images/network/`,
    why:
      "DHCP gives each MAC its fixed address and DNS answers the VMs' names; the host's " +
      "dnsmasq and /etc/hosts stay as they are (the guide's persistent way is 22-host-network)",
  },
  'kill PID': {
    match: /^kill \d+$/,
    what: 'stop the process (SIGTERM)',
    why: "kubenet's dnsmasq, found by its pid file, before a new configuration or at reset",
  },
  'brew services restart dnsmasq': {
    match: /^brew services restart dnsmasq$/,
    what: "restart Homebrew's dnsmasq service",
    why:
      'macOS makes the vmnet bridge only while a VM runs; dnsmasq binds ' +
      "to it only when restarted then (the guide's restartdnsmasq.sh)",
  },
  'tee FILE': {
    match: new RegExp(`^tee ${word}$`),
    what: (v) => `write the text shown to ${v.split(' ')[1]} (the guide's cat <<EOF | sudo tee)`,
    why: 'a root-owned file, written with sudo',
  },
  'tee -a FILE': {
    match: new RegExp(`^tee -a ${word}$`),
    what: (v) => `add the lines shown to the end of ${v.split(' ')[2]}`,
    why: 'only the lines the file does not have yet: a second run adds nothing',
  },
  'chmod MODE FILE': {
    match: new RegExp(`^chmod ${word} ${word}$`),
    what: (v) => `set ${v.split(' ')[2]}'s mode to ${v.split(' ')[1]}`,
    why: 'netplan wants its files private (600); a script must be executable (+x)',
  },
  'netplan apply': {
    match: /^netplan apply$/,
    what: "apply netplan's configuration now",
    why: 'the bridge appears without a reboot, and at every boot after',
  },
  'systemctl daemon-reload': {
    match: /^systemctl daemon-reload$/,
    what: 'make systemd read its unit files again',
    why: 'a new or changed unit is unknown to systemd until then',
  },
  'systemctl enable UNIT': {
    match: new RegExp(`^systemctl enable ${word}$`),
    what: (v) => `start ${v.split(' ')[2]} at every boot`,
    why: 'the persistent set-up survives a reboot',
  },
  'systemctl start UNIT': {
    match: new RegExp(`^systemctl start ${word}$`),
    what: (v) => `start ${v.split(' ')[2]} now`,
    why: 'enable alone waits for the next boot',
  },
  'systemctl restart UNIT': {
    match: new RegExp(`^systemctl restart ${word}$`),
    what: (v) => `restart ${v.split(' ')[2]}`,
    why: 'dnsmasq reads its configuration and /etc/hosts when it starts',
  },
  'node network-daemon.js CONFIG': {
    match: /network-daemon\.js \S+$/,
    what: (v) =>
      `start kubenet's root-free network as a process of yours, configured by ` +
      `${v.split(' ').at(-1)}: a switch on a unix socket the VMs connect to, answering ` +
      `ARP, ping, DHCP (a fixed address per MAC) and DNS (the VMs' names) at 192.168.1.1`,
    why:
      'network-mode: root-free — no bridge, TAP, NAT or dnsmasq, so no root; the VMs reach each ' +
      'other and the host side, not the internet, and the host reaches them only through kubenet',
  },
  'update-rc.d dnsmasq disable': {
    match: /^update-rc\.d dnsmasq disable$/,
    what: 'stop SysV init from starting dnsmasq',
    why: "the guide's systemd unit starts it instead, after the network (and so the bridge) is up",
  },
};

export function hostCommandNote(argv: readonly string[]): { key: string; note: OptionNote } | undefined {
  const line = argv.join(' ');
  for (const [key, note] of Object.entries(hostCommandNotes)) if (note.match.test(line)) return { key, note };
  return undefined;
}
