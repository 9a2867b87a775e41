// Chapter 2, "Image preparation": the guide's vmsetup.sh for every VM of the cluster — a folder
// per VM (gateway/, control0/, …) with a 20G disk over the cloud image, its cloud-init files made
// from the templates cloud-init/user-data.<type> and network-config.<type>, and cidata.iso.
//   machine       the VM being set up: its name, id, type, MAC and IP (lib/settings/topology.ts)
//   ../${cloudImage}  the cloud image, named from the VM's folder as vmsetup.sh names it
// vmsetup.sh evaluates the templates with `eval "cat << EOF …"`; kubenet renders the same
// $vmname, ${vmtype} and $(<FILE) without a shell, refusing anything a shell would run. Its
// instance-id is derived from the content, so an edited template is applied on the next boot.
import { cloudImage, renderTemplate, rootFreeNetworkConfig, task, topology, type ClusterVm, type Step } from 'kubenet';

const types = ['gateway', 'control', 'worker'] as const;

// The guide's stub (password: ubuntu), with what its "Remote SSH access" adds: your key.
export const userDataTemplate = `#cloud-config
password: ubuntu
chpasswd: { expire: false }
ssh_authorized_keys:
  - \${ssh_public_key}
`;

export default task({
  name: '20-vm-images',
  title: "The cluster's VM images: per VM a disk over the cloud image and a cloud-init seed",
  deps: ['00-qemu'],
  main: 'vm-setup', // test-vm boots: only when asked for
  steps: [
    {
      step: 12,
      name: 'cloud-init-templates',
      title: 'Templates for cloud-init files',
      summary: 'cloud-init/user-data.<type> and network-config.<type>: written once, then yours to edit',
      async make({ writeFile }) {
        for (const type of types) {
          await writeFile(`cloud-init/user-data.${type}`, userDataTemplate, { keep: true });
          await writeFile(`cloud-init/network-config.${type}`, '', { keep: true }); // the guide's `touch`
        }
      },
    },
    {
      step: 13,
      name: 'vm-setup',
      title: 'VM setup script',
      summary:
        "per VM: a disk over the cloud image (made once), cloud-init files from its type's templates, cidata.iso",
      needs: [cloudImage, 'cloud-init-templates'],
      vms: ({ settings }) => topology(settings.cluster).vms,
      async make({ $, once, seed, readFile, sshPublicKey, paths, settings, machine: vm }) {
        const { diskSize, domain } = topology(settings.cluster);
        await once(
          `${vm.name}/disk.img`,
          $`qemu-img create -F qcow2 -b ../${cloudImage} -f qcow2 ${vm.name}/disk.img ${diskSize}`,
        );
        const values = {
          vmid: vm.id,
          vmname: vm.name,
          vmtype: vm.type,
          vmdir: vm.name,
          mac: vm.mac,
          ip: vm.ip,
          domain,
          ssh_public_key: await sshPublicKey(),
        };
        const render = async (file: string, fallback: string) =>
          renderTemplate({ text: (await readFile(file)) ?? fallback, values, name: file, cwd: paths.root });
        // Root-free, an empty template (the guide's `touch`) gives way to kubenet's: two NICs.
        const networkConfig = await render(`cloud-init/network-config.${vm.type}`, '');
        const rootFree = topology(settings.cluster).mode === 'root-free' && networkConfig.trim() === '';
        await seed({
          hostname: vm.name,
          dir: vm.name,
          userData: await render(`cloud-init/user-data.${vm.type}`, userDataTemplate),
          networkConfig: rootFree ? rootFreeNetworkConfig(vm) : networkConfig,
        });
      },
    } satisfies Step<ClusterVm>,
    {
      step: 14,
      name: 'test-vm',
      title: 'Testing the VM',
      summary: 'boot the gateway VM alone, on user networking, as chapter 1 did',
      needs: ['vm-setup'],
      vm: 'gateway',
      boot: ({ $, sudo, qemu, board, accel, highmem, cpu, smp, memory, firmware, nic }) => $`
        ${sudo} ${qemu} -nographic -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
          -smp ${smp} -m ${memory}
          ${firmware}
          -nic ${nic}
          -hda gateway/disk.img
          -drive file=gateway/cidata.iso,driver=raw,if=virtio`,
    },
  ],
});
