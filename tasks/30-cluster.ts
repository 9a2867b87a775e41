// Chapter 3, "Launching the VM Cluster": the guide's vmlaunch.sh for one VM, and all of them at
// once as vmlaunchall.sh does. Each VM gets its own resources and MAC (chapter 3, "Granting
// resources"; kubenet.yaml's cluster: changes them):
//   ${smp} ${memory}       2 and 2G for the gateway and control VMs, 4 and 4G for workers
//   ${nic},mac=${mac}      -nic tap,script=tapup.sh,downscript=no (Linux) or vmnet-shared with the
//                          cluster's range (macOS), and 52:52:52:00:00:<id>
// kubenet runs them in the foreground, headless, each serial console in images/vm/<vm>/serial.log,
// started one after another; when a VM's sshd answers it records its host keys and says so (the
// guide's vmsshsetup.sh). Ctrl-C powers them all off. `kubenet ssh worker1` logs in.
import { asRootFor, clusterNicArgs, task, topology, type ClusterVm, type Step } from 'kubenet';

const launch: Pick<Step<ClusterVm>, 'vms' | 'boot' | 'ready'> = {
  vms: ({ settings }) => topology(settings.cluster).vms,
  boot: ({ $, hostOs, qemu, board, accel, highmem, cpu, smp, memory, firmware, settings, machine: vm }) => {
    const topo = topology(settings.cluster);
    return asRootFor(
      topo,
      hostOs,
      $`
      ${qemu} -nographic -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
        -smp ${smp} -m ${memory}
        ${firmware}
        ${clusterNicArgs(hostOs, topo, vm)}
        -hda ${vm.name}/disk.img
        -drive file=${vm.name}/cidata.iso,driver=raw,if=virtio`,
    );
  },
  async ready({ machine: vm, sshSetup, settings }) {
    // On the bridge the host reaches the VM at its address; root-free, by the port kubenet forwards.
    await sshSetup(vm.name, topology(settings.cluster).mode === 'bridge' ? vm.ip : undefined);
    return `${vm.ip}, kubenet ssh ${vm.name}`;
  },
};

export default task({
  name: '30-cluster',
  title: 'The cluster: seven VMs on the shared network',
  deps: ['20-vm-images', '21-shared-network'],
  needsRoot: "QEMU making each VM's TAP interface (bridge mode)",
  steps: [
    {
      step: 21,
      name: 'vm-launch',
      title: 'VM launching script',
      summary: 'one VM with its resources and MAC: kubenet run vm-launch --vm worker1 (or --vm 5)',
      ...launch,
    },
    {
      step: 22,
      name: 'launch-all',
      title: 'A script to launch them all',
      summary:
        'every VM, one after another: in tmux where it is installed, else supervised ' +
        'together here; each reported with its address once its sshd answers',
      ...launch,
      // vmlaunchall.sh's session, and vmsshall.sh's windows
      tmux: {
        session: 'kubenet-qemu',
        paneStep: 'vm-launch',
        login: {
          session: 'kubenet-ssh',
          windows: (machines) => {
            const of = (type: string) => machines.filter((m) => m.type === type).map((m) => m.name);
            return [
              { name: 'ssh-gateway', vms: of('gateway'), layout: 'tiled' },
              { name: 'ssh-controls', vms: of('control'), layout: 'even-vertical' },
              { name: 'ssh-workers', vms: of('worker'), layout: 'even-vertical' },
              { name: 'ssh-nodes', vms: [...of('control'), ...of('worker')], layout: 'tiled' },
            ].filter((w) => w.vms.length > 0);
          },
          attach: 'ssh-controls',
        },
      },
    },
  ],
});
