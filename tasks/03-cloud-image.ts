// Chapter 1, "Cloud image" to "cloud-init": a copy-on-write disk over Ubuntu's cloud image,
// booted headless, then given a cloud-init seed so that ubuntu can log in. `kubenet run
// 03-cloud-image` runs the last step: the whole chapter's VM.
// The guide's `wget https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img`
// is the download cloudImage (lib/task/cloud-image.ts): 20-vm-images' disks are over it too.
import { cloudImage, task } from 'kubenet';

export default task({
  name: '03-cloud-image',
  title: 'The Ubuntu cloud image, headless, with a cloud-init seed',
  deps: ['00-qemu'],
  steps: [
    {
      step: 9,
      name: 'cloud-image',
      title: 'Cloud image',
      summary: 'a copy-on-write disk backed by the cloud image, which is never written to',
      needs: [cloudImage],
      makes: ['ubuntu0.img'],
      async make({ $, once, diskSize }) {
        await once('ubuntu0.img', $`qemu-img create -F qcow2 -b ${cloudImage} -f qcow2 ubuntu0.img ${diskSize}`);
      },
    },
    {
      step: 10,
      name: 'headless',
      title: 'Headless',
      summary: 'boot the disk with the serial console and monitor in the terminal (Ctrl-A C, Ctrl-A X)',
      needs: ['cloud-image'],
      vm: 'ubuntu0',
      // -nodefaults is dropped: -nographic puts the serial console and the monitor in the terminal.
      boot: ({ $, sudo, qemu, board, accel, highmem, cpu, smp, memory, firmware, nic }) => $`
        ${sudo} ${qemu} -nographic -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
          -smp ${smp} -m ${memory}
          ${firmware}
          -nic ${nic}
          -hda ubuntu0.img`,
    },
    {
      step: 11,
      name: 'cloud-init',
      title: 'cloud-init (NoCloud)',
      summary: 'a cidata seed ISO: the password, your SSH key, the hostname',
      needs: ['cloud-image'],
      vm: 'ubuntu0',
      makes: ['cloud-init/user-data', 'cloud-init/meta-data', 'cidata.iso'],
      // The guide writes cloud-init/user-data (#cloud-config, password: ubuntu) and meta-data
      // (instance-id: ubuntu0), then runs
      //   mkisofs -output cidata.iso -volid cidata -joliet -rock cloud-init/{user-data,meta-data}
      // kubenet writes the same files and the ISO itself, adds your SSH key, and derives the
      // instance-id from the content, so a changed --user-data is applied on the next boot.
      async make({ seed }) {
        await seed({ hostname: 'ubuntu0' });
      },
      boot: ({ $, sudo, qemu, board, accel, highmem, cpu, smp, memory, firmware, nic }) => $`
        ${sudo} ${qemu} -nographic -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
          -smp ${smp} -m ${memory}
          ${firmware}
          -nic ${nic}
          -hda ubuntu0.img
          -drive file=cidata.iso,driver=raw,if=virtio`,
    },
  ],
});
