// Chapters 2 and 3, step by step, beside the guide's own text (as guide-steps.ts does chapter 1):
// steps 12–22, 22-host-network's persistent steps, and vmsshall.sh ("ssh"), which 30-cluster's
// launch does its own way as each VM comes up. The guide's scripts (vmsetup.sh, vmlaunch.sh, …)
// come from its code blocks; a step follows those it runs and only writes down the others' runs.
import type { Edition } from '../../lib/host/types.js';
import { notRun, own, rewrite, type Difference, type StepText } from './guide-differences.js';
import { recordBlocks, type RunOptions } from './guide-shell.js';
import { blockIn, readChapter, type GuideText } from './guide-text.js';

const dotDir = rewrite(
  "the guide's scripts run as ./NAME.sh, so their $dir is . and a VM's files " +
    'are ./gateway/…: kubenet names the same files from images/, as gateway/…',
  (argv) => argv.map((w) => w.replace(/(^|=)\.\//, '$1')),
);
const setupAgain = notRun(
  /^\.\/vmsetup\.sh \d$/,
  '"reformat its image": kubenet never recreates a disk (kubenet reset 20-vm-images does, when asked)',
);

function scriptsOf(ch2: GuideText, ch3: GuideText, edition: Edition): Record<string, string> {
  const shebang = '#!/usr/bin/env bash';
  return {
    'helpers.sh': blockIn(ch2, 'Image preparation', 'id_to_name()'),
    'vmsetup.sh': blockIn(ch2, 'VM setup script', shebang),
    'vmsshsetup.sh': blockIn(ch2, "Automating establishment of VM's authenticity", shebang),
    'vmlaunch.sh': blockIn(ch3, 'VM launching script', shebang),
    'vmlaunchall.sh': blockIn(ch3, 'A script to launch them all', shebang),
    'vmsshall.sh': blockIn(ch3, 'Connecting with SSH', shebang),
    ...(edition === 'linux'
      ? { 'tapup.sh': blockIn(ch2, 'Connecting TAP interfaces to the bridge', '#!/usr/bin/env sh') }
      : { 'restartdnsmasq.sh': blockIn(ch2, 'Restarting `dnsmasq`', shebang) }),
  };
}

export function chaptersTwoThree(edition: Edition): StepText[] {
  const ch2 = readChapter(edition, 2);
  const ch3 = readChapter(edition, 3);
  const linux = edition === 'linux';
  const scripts = scriptsOf(ch2, ch3, edition);
  const run = (blocks: string[], follow: string[] = [], options: RunOptions & { prepare?: string[] } = {}) =>
    recordBlocks(blocks, { shell: ch2.shell, scripts, follow, ...options });
  const two = (heading: string, first: string) => blockIn(ch2, heading, first);
  const three = (heading: string, first: string) => blockIn(ch3, heading, first);
  const templating = 'Impromptu bash "templating" for `cloud-init` files';
  const templates = [two(templating, 'mkdir -p cloud-init'), two(templating, 'touch')];
  const launchAll = 'A script to launch them all';
  return [
    {
      key: '12',
      guide: run(templates),
      differences: [
        notRun(
          /^mkdir -p cloud-init$/,
          'kubenet writes cloud-init/user-data.<type> itself, once, then leaves them to you',
        ),
        notRun(
          new RegExp(
            /^touch cloud-init\/network-config\.gateway /.source +
              /cloud-init\/network-config\.control cloud-init\/network-config\.worker$/.source,
          ),
          'kubenet writes them, empty, once',
        ),
      ],
    },
    {
      key: '13',
      guide: run([three(launchAll, 'for vmid')], ['vmsetup.sh', 'helpers.sh'], { prepare: templates }),
      differences: [notRun(/^mkdir -p \.\/\w+$/, "kubenet makes a VM's folder itself"), dotDir],
    },
    {
      key: '14',
      guide: run([two('Testing the VM', 'sudo qemu-system-')]),
      differences: linux
        ? [
            rewrite("-nic user needs no root: chapter 1's Linux edition runs the same command without sudo", (argv) =>
              argv[0] === 'sudo' ? argv.slice(1) : argv,
            ),
          ]
        : [],
    },
    ...(linux ? linuxNetwork(ch2, run) : [macDnsmasq(ch2, run)]),
    {
      key: '20',
      guide: run([
        two('Testing the network setup', './vmsetup.sh 0'),
        two('Testing the network setup', 'sudo qemu-system-'),
      ]),
      differences: [setupAgain],
    },
    {
      key: '21',
      vms: ['0'],
      guide: run([three('VM launching script', './vmsetup.sh 0')], ['vmlaunch.sh', 'helpers.sh']),
      differences: [setupAgain, dotDir],
    },
    {
      key: '22',
      guide: run(
        [three(launchAll, 'for vmid'), three(launchAll, 'sudo ./vmlaunchall.sh')],
        ['vmlaunchall.sh', 'vmlaunch.sh', 'helpers.sh'],
        { tmux: true },
      ),
      differences: [
        setupAgain,
        notRun(
          /^sudo tmux /,
          "vmlaunchall.sh's tmux panes: kubenet runs the VMs itself — in a tmux session " +
            'of its own where tmux is installed, else together, each serial console logged',
        ),
        dotDir,
      ],
    },
    {
      key: 'ssh',
      guide: run([three('Connecting with SSH', './vmsshall.sh')], ['vmsshall.sh', 'vmsshsetup.sh', 'helpers.sh'], {
        tmux: true,
      }),
      differences: [
        notRun(/^nc -zw 10 \w+ 22$/, "vmsshsetup.sh's wait for sshd: kubenet's own TCP connect, as each VM comes up"),
        notRun(
          /^sed -i {1,2}\/\^\w+\/d \S+\/\.ssh\/known_hosts$/,
          "each VM's host keys go to images/vm/<vm>/known_hosts, replaced: ~/.ssh is left alone",
        ),
        notRun(/^ssh-keyscan \w+$/, 'run as ssh-keyscan -T 10 <address>: the host need not resolve the names'),
        notRun(/^ssh ubuntu@\w+ exit$/, "kubenet ssh's argv with BatchMode, until it succeeds"),
        notRun(
          /^tmux /,
          "vmsshall.sh's windows: kubenet opens the same ones (ssh-gateway, " +
            'ssh-controls, ssh-workers, ssh-nodes) where tmux is installed',
        ),
        notRun(/^ssh ubuntu@\w+$/, 'each pane logs in: kubenet ssh <vm>'),
      ],
    },
    ...persistent(edition, ch2, run),
  ];
}

type Run = (
  blocks: string[],
  follow?: string[],
  options?: RunOptions & { prepare?: string[] },
) => ReturnType<typeof recordBlocks>;

// Steps 15–19 of the Linux edition: the bridge, tapup.sh (a file kubenet writes), forwarding, NAT,
// dnsmasq.
function linuxNetwork(ch2: GuideText, run: Run): StepText[] {
  const two = (heading: string, first: string) => blockIn(ch2, heading, first);
  // The guide's one MASQUERADE rule, then the chain its kubenet-nat.sh makes instead.
  const [natTee] = run([two('Setting up NAT', 'cat <<EOF | sudo tee /usr/local/bin/kubenet-nat.sh')]);
  return [
    {
      key: '15',
      guide: run([two('Virtual bridge', 'sudo ip link add'), two('Virtual bridge', 'sudo ip addr add')]),
      differences: [],
    },
    { key: '16', guide: [], differences: [] },
    { key: '17', guide: run([two('Enabling IP forwarding on the host machine', 'sudo sysctl')]), differences: [] },
    {
      key: '18',
      guide: [
        ...run([two('Setting up NAT', 'sudo iptables')]),
        ...run([natTee!.input!], [], { sudo: true, answers: { 'iptables -t nat -L KUBENET_NAT': 1 } }),
      ],
      differences: [
        notRun(
          /^sudo iptables -t nat -A POSTROUTING ! -o kubr0 -s 192\.168\.1\.0\/24 -j MASQUERADE$/,
          "the guide replaces this rule by kubenet-nat.sh's chain, which kubenet sets up",
        ),
        notRun(
          /^sudo iptables -t nat -L KUBENET_NAT$/,
          "kubenet-nat.sh's look for an old chain: kubenet looks " +
            'with iptables -S and -C, read-only, and finds none here',
        ),
      ],
    },
    {
      key: '19',
      guide: run([two('Using `dnsmasq`', 'sudo systemctl restart dnsmasq')]),
      differences: [
        notRun(
          /^sudo systemctl restart dnsmasq$/,
          "the system's dnsmasq is the persistent set-up (22-host-network); " +
            "kubenet starts one of its own with the guide's settings",
        ),
        own(
          /^sudo dnsmasq --conf-file=network\/dnsmasq\.conf$/,
          "kubenet's own dnsmasq: the guide's settings, its files under images/network/",
        ),
      ],
    },
  ];
}

// Step 19 of the macOS edition: restartdnsmasq.sh, whose first look finds dnsmasq not bound yet.
function macDnsmasq(ch2: GuideText, run: Run): StepText {
  return {
    key: '19',
    guide: run([blockIn(ch2, 'Restarting `dnsmasq`', 'sudo ./restartdnsmasq.sh')], ['restartdnsmasq.sh'], {
      answers: { 'grep -q 192\\.168\\.1\\.1': 1 },
    }),
    differences: [
      notRun(
        /^sudo lsof -n?i4TCP:53$/,
        'a look: is dnsmasq bound to 192.168.1.1? kubenet looks with sudo lsof -ni4TCP:53 itself, read-only',
      ),
      notRun(/^sudo grep -q /, "the look reads lsof's output: here, not bound yet, then bound"),
      notRun(/^sudo sleep 1$/, 'kubenet waits the second itself'),
    ],
  };
}

// 22-host-network: the guide's persistent set-up.
function persistent(edition: Edition, ch2: GuideText, run: Run): StepText[] {
  const two = (heading: string, first: string) => blockIn(ch2, heading, first);
  const lines = (...blocks: string[]) => `${blocks.join('\n')}\n`;
  const without = (file: string) =>
    `the guide gives the lines to add to ${file} without a command: kubenet adds those missing`;
  const dhcp = two('DHCP server configuration', 'dhcp-range=');
  const domain = two('DNS server configuration', 'domain=');
  const hosts = own(
    /^sudo tee -a \/etc\/hosts$/,
    without('/etc/hosts'),
    lines(two('DNS server configuration', '192.168.1.1 ')),
  );
  if (edition === 'macos') {
    return [
      {
        key: 'persistent-dns',
        guide: [],
        differences: [
          own(/^sudo tee -a \/opt\/homebrew\/etc\/dnsmasq\.conf$/, without('dnsmasq.conf'), lines(dhcp, domain)),
          hosts,
        ],
      },
    ];
  }
  const nat = 'Setting up NAT';
  const after = 'Making sure `dnsmasq` starts after network';
  const differences: Difference[] = [
    own(
      /^sudo tee -a \/etc\/dnsmasq\.conf$/,
      without('/etc/dnsmasq.conf'),
      lines(two('Using `dnsmasq`', 'interface='), dhcp, domain),
    ),
    hosts,
  ];
  return [
    {
      key: 'persistent-bridge',
      guide: run([two('Virtual bridge', 'cat <<EOF | sudo tee /etc/netplan')]),
      differences: [],
    },
    {
      key: 'persistent-forwarding',
      guide: run([two('Enabling IP forwarding on the host machine', 'cat <<EOF | sudo tee')]),
      differences: [],
    },
    {
      key: 'persistent-nat',
      guide: run([
        two(nat, 'cat <<EOF | sudo tee /usr/local/bin/kubenet-nat.sh'),
        two(nat, 'cat <<EOF | sudo tee /etc/systemd/system'),
        two(nat, 'sudo systemctl daemon-reload'),
      ]),
      differences: [],
    },
    {
      key: 'persistent-dns',
      guide: run([
        two(after, 'cat <<EOF | sudo tee'),
        two(after, 'sudo update-rc.d'),
        two('DNS server configuration', 'sudo systemctl restart dnsmasq'),
      ]),
      differences,
    },
  ];
}
