// Chapter 2, "Shared network setup": one network for the VMs and the host, with fixed addresses
// by MAC and names in the domain kubenet. Each step looks first (read-only) and does only what is
// missing, so a second run changes nothing; what needs root is shown with its reason and run with
// your consent. Linux, kubenet-managed: nothing persists on the host — the bridge, the NAT chain,
// IP forwarding and a dnsmasq of kubenet's own (configuration, hosts, pid and leases under
// images/network/) go at `kubenet reset 21-shared-network` or a reboot; the guide's persistent
// set-up (netplan, sysctl.d, systemd units) is task 22-host-network. macOS: vmnet-shared makes
// the bridge and routes; the step left is dnsmasq, with the guide's restart dance.
// Root-free (kubenet.yaml: cluster: network-mode: root-free): no bridge, TAP, NAT or dnsmasq,
// nothing as root; kubenet's own switch with DHCP and DNS on a unix socket the VMs connect to.
// What kubenet made is recorded (network/made.json); a bridge or chain that was there before is
// the user's — the guide's persistent set-up, or made by hand: used when it fits, never changed,
// never deleted. Every refusal comes before the first change (the run's first pass looks).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ExitCode,
  KubenetError,
  asRootFor,
  bridgeNotOurs,
  bridgeState,
  chainNotOurs,
  clusterNic,
  clusterNicArgs,
  collisions,
  dnsmasqFailed,
  findVm,
  freeNetwork,
  gone,
  hostsLines,
  ifindexOf,
  managedDnsmasqConf,
  natChainReady,
  networkDaemonScript,
  networkFiles,
  networkInUse,
  noteMadeNow,
  readMade,
  runningDaemon,
  tapsBack,
  tapUpScript,
  task,
  topology,
  undoThisRun,
  writeMade,
  type TaskContext,
  type Topology,
} from 'kubenet';

// What steps 15–18, the Linux edition's alone, do on a macOS host.
const macOnly = 'the step has nothing to do there';

const dnsmasqReason = (bridge: string, domain: string) =>
  `dnsmasq serves DHCP (a fixed address per MAC) and DNS (the VMs' names in ${domain}) on ${bridge} only`;

// kubenet's files of the network, by name under images/ (lib/paths.ts).
const { dnsmasqConf: conf, made: madeFile, ipForwardBefore } = networkFiles;

export default task({
  name: '21-shared-network',
  title: 'The shared network: a bridge, NAT, DHCP and DNS for the cluster',
  deps: ['00-qemu'], // the network alone: the VMs' disks are 20-vm-images
  needsRoot: 'the bridge, IP forwarding, the NAT chain and dnsmasq (Linux, bridge mode)',
  main: 'dnsmasq', // test-network boots: only when asked for
  steps: [
    {
      step: 15,
      name: 'bridge',
      title: 'Virtual bridge',
      summary: 'the bridge kubr0, with the host as 192.168.1.1 on it',
      onlyIn: {
        edition: 'linux',
        otherwise: "in the macOS edition vmnet-shared makes the VMs' bridge while a VM runs",
        elsewhere: macOnly,
      },
      async make(ctx) {
        const { $, asRoot, hostOs, settings, readFile, writeFile, note, dryRun } = ctx;
        const topo = topology(settings.cluster);
        const { bridge, hostIp, prefix, subnet, mode } = topo;
        if (hostOs === 'darwin' || mode === 'root-free') return; // vmnet-shared makes its own bridge while a VM runs
        // The cluster's /24 must be free on this host: a home LAN or a VPN on it would clash.
        const addresses = (await $`ip -j addr show`.check()).stdout;
        const routes = (await $`ip -j route show`.check()).stdout;
        const used = collisions(addresses, routes, subnet, bridge);
        if (used.length) throw networkInUse(topo, used, freeNetwork(addresses, routes, bridge));
        const have = bridgeState(await $`ip -j -d addr show dev ${bridge}`.check(), bridge, `${hostIp}/${prefix}`);
        const made = readMade(await readFile(madeFile));
        if (have.exists && !(made.bridge?.name === bridge && made.bridge.ifindex === have.ifindex)) {
          if (!(have.up && have.addressed)) throw bridgeNotOurs(topo, have);
          note(
            `${bridge} was there before kubenet (yours, or the guide's persistent ` +
              `set-up): used as it is, and never changed or deleted by kubenet`,
          );
        } else {
          await asRoot(`the bridge ${bridge} joins the VMs and the host, which is ${hostIp} on it`, [
            ...(have.exists ? [] : [$`ip link add ${bridge} type bridge`]),
            ...(have.up ? [] : [$`ip link set ${bridge} up`]),
            ...(have.addressed ? [] : [$`ip addr add ${hostIp}/${prefix} dev ${bridge}`]),
          ]);
          const ifindex = have.exists || dryRun ? undefined : ifindexOf(await $`ip -j link show dev ${bridge}`.check());
          if (ifindex !== undefined) {
            noteMadeNow('bridge');
            await writeFile(madeFile, writeMade({ ...made, bridge: { name: bridge, ifindex } }));
          }
        }
        await tapsBack(ctx, topo);
      },
    },
    {
      step: 16,
      name: 'tap-script',
      title: 'Connecting TAP interfaces to the bridge',
      summary: "tapup.sh, which QEMU's -nic tap,script=tapup.sh runs to put a VM's TAP on the bridge",
      onlyIn: {
        edition: 'linux',
        otherwise: 'in the macOS edition vmnet-shared connects the VMs itself, with no TAP interfaces',
        elsewhere: macOnly,
      },
      makes: ['tapup.sh'],
      async make({ hostOs, settings, writeFile }) {
        const topo = topology(settings.cluster);
        if (hostOs !== 'darwin' && topo.mode === 'bridge')
          await writeFile('tapup.sh', tapUpScript(topo), { mode: 0o755 });
      },
    },
    {
      step: 17,
      name: 'ip-forward',
      title: 'Enabling IP forwarding on the host machine',
      summary: "the host routes the VMs' traffic (until reboot, or reset, which restores the old value)",
      onlyIn: {
        edition: 'linux',
        otherwise: "in the macOS edition vmnet-shared routes the VMs' traffic",
        elsewhere: macOnly,
      },
      async make({ $, asRoot, hostOs, settings, writeFile }) {
        if (hostOs === 'darwin' || topology(settings.cluster).mode === 'root-free') return; // no way out to forward to
        const now = (await $`sysctl -n net.ipv4.ip_forward`.check()).stdout.trim();
        if (now === '1') return;
        await writeFile(ipForwardBefore, `${now || '0'}\n`, { keep: true }); // what reset puts back
        await asRoot("the host forwards packets between the VMs' bridge and its other interfaces", [
          $`sysctl net.ipv4.ip_forward=1`,
        ]);
        noteMadeNow('forwarding');
      },
    },
    {
      step: 18,
      name: 'nat',
      title: 'Setting up NAT',
      summary: "the KUBENET_NAT chain: the VMs' traffic out of the host is masqueraded as the host's",
      onlyIn: { edition: 'linux', otherwise: 'in the macOS edition vmnet-shared does its own NAT', elsewhere: macOnly },
      async make({ $, asRoot, hostOs, settings, readFile, writeFile, note, dryRun }) {
        const topo = topology(settings.cluster);
        const { bridge, subnet, mode } = topo;
        if (hostOs === 'darwin' || mode === 'root-free') return; // vmnet-shared does its own NAT
        const chain = await $`sudo iptables -t nat -S KUBENET_NAT`.check();
        const hooked = (await $`sudo iptables -t nat -C POSTROUTING -j KUBENET_NAT`.check()).exitCode === 0;
        const ready = hooked && natChainReady(chain, bridge, subnet);
        const made = readMade(await readFile(madeFile));
        if (chain.exitCode === 0 && !made.chain) {
          if (!ready) throw chainNotOurs(topo, hooked);
          return note(
            "the chain KUBENET_NAT was there before kubenet (yours, or the guide's " +
              'kubenet-nat service): used as it is, and never changed or deleted by kubenet',
          );
        }
        if (ready) return;
        // kubenet's own chain, or none yet: the guide's kubenet-nat.sh — an old one goes, then made afresh.
        await asRoot(
          `packets from ${subnet} leaving by another interface than ${bridge} ` +
            `get the host's address (MASQUERADE), so the VMs reach the internet`,
          [
            ...(hooked ? [$`iptables -t nat -D POSTROUTING -j KUBENET_NAT`] : []),
            ...(chain.exitCode === 0 ? [$`iptables -t nat -F KUBENET_NAT`, $`iptables -t nat -X KUBENET_NAT`] : []),
            $`iptables -t nat -N KUBENET_NAT`,
            $`iptables -t nat -A POSTROUTING -j KUBENET_NAT`,
            $`iptables -t nat -A KUBENET_NAT ! -o ${bridge} -s ${subnet} -j MASQUERADE`,
          ],
        );
        if (dryRun) return;
        if (chain.exitCode !== 0) noteMadeNow('chain');
        await writeFile(madeFile, writeMade({ ...made, chain: true }));
      },
    },
    {
      step: 19,
      name: 'dnsmasq',
      title: 'Using dnsmasq: DHCP and DNS',
      summary: "dnsmasq on the bridge: 192.168.1.(10+id) for each MAC, and the VMs' names in the domain kubenet",
      needs: ['bridge', 'tap-script', 'ip-forward', 'nat'],
      makes: [networkFiles.dnsmasqConf, networkFiles.hosts],
      async make(ctx) {
        const { $, asRoot, hostOs, settings, writeFile, filesFor, note, detail, paths } = ctx;
        const topo = topology(settings.cluster);
        if (topo.mode === 'root-free') return rootFree(ctx, topo);
        if (hostOs === 'darwin') return restartDance(ctx);
        detail(
          "the guide configures the system's dnsmasq (/etc/dnsmasq.conf, /etc/hosts, " +
            'systemctl restart dnsmasq); kubenet runs one of its own with the same settings, ' +
            "so nothing on the host changes for good — 22-host-network is the guide's way",
        );
        // as dnsmasq reads them: it changes folder
        const files = {
          hosts: paths.network('hosts'),
          pidFile: paths.network('dnsmasqPid'),
          leases: paths.network('leases'),
        };
        await writeFile(networkFiles.hosts, `${hostsLines(topo).join('\n')}\n`);
        const changed = await writeFile(conf, managedDnsmasqConf(topo, files));
        const pid = runningDaemon(files.pidFile, conf);
        if (pid !== undefined && !changed) return note(`dnsmasq (pid ${pid}) serves ${topo.bridge} already`);
        if (pid !== undefined) {
          await asRoot('its configuration changed: the running dnsmasq stops first', [$`kill ${pid}`]);
          await gone(pid);
        }
        await filesFor('dnsmasq', files.pidFile, files.leases); // it writes them as root: never through a link
        try {
          await asRoot(dnsmasqReason(topo.bridge, topo.domain), [$`dnsmasq --conf-file=${conf}`]);
        } catch (error) {
          throw dnsmasqFailed(error, topo, await undoThisRun(ctx, topo));
        }
      },
    },
    {
      step: 20,
      name: 'test-network',
      title: 'Testing the network setup',
      summary: 'boot the gateway VM on the shared network: it gets 192.168.1.10 and its name',
      needs: ['dnsmasq'],
      vm: 'gateway',
      async make({ $, dryRun }) {
        if (dryRun || (await $`test -f gateway/disk.img`.check()).exitCode === 0) return;
        throw new KubenetError('the gateway VM has no disk yet: the network alone is this task', {
          code: ExitCode.usage,
          hint: 'kubenet run 20-vm-images --vm gateway makes its disk and seed',
        });
      },
      boot: ({ $, hostOs, qemu, board, accel, highmem, cpu, smp, memory, firmware, settings }) => {
        const topo = topology(settings.cluster);
        return asRootFor(
          topo,
          hostOs,
          $`
          ${qemu} -nographic -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
            -smp ${smp} -m ${memory}
            ${firmware}
            ${clusterNicArgs(hostOs, topo, findVm(topo, 'gateway')!)}
            -hda gateway/disk.img
            -drive file=gateway/cidata.iso,driver=raw,if=virtio`,
        );
      },
    },
  ],
  // Takes down what the steps set up, in reverse — what kubenet made, and nothing else: dnsmasq,
  // the NAT chain, the bridge, and IP forwarding back to what it was. A bridge or chain that was
  // there before is left as it is, and said so.
  async reset(ctx) {
    const { $, asRoot, hostOs, settings, readFile, removeFile, note, paths } = ctx;
    const daemon = runningDaemon(paths.network('usernetPid'), networkFiles.usernetConfig);
    if (daemon !== undefined) {
      await $`kill ${daemon}`; // the root-free network: a process of your own
      await gone(daemon);
    }
    if (hostOs === 'darwin') return;
    const topo = topology(settings.cluster);
    const { bridge, hostIp, prefix } = topo;
    const pid = runningDaemon(paths.network('dnsmasqPid'), conf);
    const made = readMade(await readFile(madeFile));
    const chain = (await $`sudo iptables -t nat -S KUBENET_NAT`.check()).exitCode === 0;
    const hooked = (await $`sudo iptables -t nat -C POSTROUTING -j KUBENET_NAT`.check()).exitCode === 0;
    const have = bridgeState(await $`ip -j -d addr show dev ${bridge}`.check(), bridge, `${hostIp}/${prefix}`);
    const ourBridge = have.exists && made.bridge?.name === bridge && made.bridge.ifindex === have.ifindex;
    const before = (await readFile(ipForwardBefore))?.trim();
    if (have.exists && !ourBridge) note(`${bridge} was there before kubenet: left as it is`);
    if (chain && !made.chain) note('the chain KUBENET_NAT was there before kubenet: left as it is');
    await asRoot(
      'undo what kubenet made of the cluster network: ' +
        [
          pid === undefined ? '' : "kubenet's dnsmasq",
          chain && made.chain ? 'the KUBENET_NAT chain' : '',
          ourBridge ? `the bridge ${bridge}` : '',
          before && before !== '1' ? 'IP forwarding as it was' : '',
        ]
          .filter(Boolean)
          .join(', '),
      [
        ...(pid === undefined ? [] : [$`kill ${pid}`]),
        ...(made.chain && hooked ? [$`iptables -t nat -D POSTROUTING -j KUBENET_NAT`] : []),
        ...(made.chain && chain ? [$`iptables -t nat -F KUBENET_NAT`, $`iptables -t nat -X KUBENET_NAT`] : []),
        ...(ourBridge ? [$`ip link del ${bridge}`] : []),
        ...(before && before !== '1' ? [$`sysctl net.ipv4.ip_forward=${before}`] : []),
      ],
    );
    if (pid !== undefined) await gone(pid);
    await removeFile(ipForwardBefore);
    await removeFile(madeFile);
  },
});

// Root-free: kubenet's own switch, DHCP and DNS as a daemon of the user's, on a unix socket in
// images/network/; restarted only when its configuration changes.
async function rootFree({ $, writeFile, filesFor, detail, note, paths }: TaskContext, topo: Topology): Promise<void> {
  detail(
    'root-free: no bridge, TAP, NAT or dnsmasq, and nothing runs as root; the VMs reach ' +
      "each other and 192.168.1.1 (DHCP, DNS) through kubenet's switch, and not the internet",
  );
  const config = {
    socket: networkFiles.usernetSocket,
    pidFile: networkFiles.usernetPid,
    log: networkFiles.usernetLog,
    mac: topo.hostMac,
    ip: topo.hostIp,
    mask: topo.netmask,
    domain: topo.domain,
    leaseSeconds: 12 * 3600,
    leases: Object.fromEntries(topo.vms.map((vm) => [vm.mac, vm.ip])),
    names: Object.fromEntries([...topo.extraHosts, ...topo.vms].map((h) => [h.name, h.ip])),
  };
  const changed = await writeFile(networkFiles.usernetConfig, `${JSON.stringify(config, null, 2)}\n`);
  const pid = runningDaemon(paths.network('usernetPid'), networkFiles.usernetConfig);
  if (pid !== undefined && !changed)
    return note(`the root-free network (pid ${pid}) serves ${networkFiles.usernetSocket} already`);
  if (pid !== undefined) {
    await $`kill ${pid}`;
    await gone(pid);
  }
  await filesFor('the root-free network', networkFiles.usernetPid, networkFiles.usernetLog);
  await $`${process.execPath} ${networkDaemonScript} ${networkFiles.usernetConfig}`;
}

// macOS: the guide's restartdnsmasq.sh. dnsmasq binds to the vmnet bridge only when that exists,
// which is while a VM runs on it — so a VM is started on the cluster's range for as long as it
// takes dnsmasq, restarted, to bind to the host's address.
// A dry run or a plan only shows the commands: nothing was restarted, so it waits for nothing.
async function restartDance({ $, asRoot, background, settings, note, dryRun }: TaskContext): Promise<void> {
  const topo = topology(settings.cluster);
  const reason = dnsmasqReason('the vmnet bridge', topo.domain);
  const bound = async () => (await $`sudo lsof -ni4TCP:53`.check()).stdout.includes(topo.hostIp);
  await asRoot(reason, [$`brew services restart dnsmasq`]);
  if (await bound()) return;
  const vm = await background(
    $`qemu-system-aarch64 -nographic -machine virt -nic ${clusterNic('darwin', topo)}`.asRoot(
      "a VM on the cluster's vmnet range makes macOS create its bridge",
    ),
  );
  try {
    if (!dryRun) await sleep(1000);
    await asRoot(reason, [$`brew services restart dnsmasq`]);
    if (dryRun) return;
    for (let i = 0; i < 30 && !(await bound()); i += 1) await sleep(1000);
    if (!(await bound()))
      note(`warning: dnsmasq is not bound to ${topo.hostIp}:53 after 30 s; run this step again while a VM runs`);
  } finally {
    await vm.stop();
  }
}
