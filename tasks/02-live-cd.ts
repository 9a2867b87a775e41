// Chapter 1, "Live CD" to "Disk": boot Ubuntu's live ISO, then add a network card, graphics and
// peripherals, and a disk to install Ubuntu onto. Each step is the one before plus what the guide
// adds; `kubenet run 02-live-cd` runs the last. The host's values, beside 01-machine's:
//   ${highmem}          ,highmem=on on virt (arm64); q35 has no such property
//   ${smp} ${memory}    2 and 2G, as the guide has them (--smp, --memory)
//   ${console}          -serial vc (arm64 images), -vga std (the amd64 desktop draws on VGA)
//   ${sudo} -nic ${nic} sudo … -nic vmnet-shared on macOS (vmnet needs root), -nic user elsewhere
//   ${display} ${audio} cocoa and coreaudio on macOS, gtk and pa (PulseAudio) elsewhere
// The editions part at step 7: "Graphics and peripherals" is the macOS edition's alone, and its
// disk step keeps those devices; the Linux edition's disk step is its network step plus the disk.
import { download, task } from 'kubenet';

// The guide: wget https://cdimage.ubuntu.com/jammy/daily-live/current/jammy-desktop-arm64.iso
// Ubuntu no longer publishes jammy's daily-live builds, so that URL serves nothing today (the
// guide's issue #19). kubenet asks it first, in case it returns, then finds jammy's released ISO:
// the newest point release that the directory's SHA256SUMS lists. The commands name that file.
export const liveIso = download({
  name: 'live-iso',
  title: 'the Ubuntu live ISO',
  formerly: '12-live-iso',
  url: ({ ubuntuArch }) => `https://cdimage.ubuntu.com/jammy/daily-live/current/jammy-desktop-${ubuntuArch}.iso`,
  elsewhere: ({ ubuntuArch }) =>
    ubuntuArch === 'amd64'
      ? [
          {
            dir: 'https://releases.ubuntu.com/jammy/',
            file: /^ubuntu-22\.04\.(\d+)-desktop-amd64\.iso$/,
            shown: 'ubuntu-22.04.N-desktop-amd64.iso',
          },
        ]
      : [
          {
            dir: 'https://cdimage.ubuntu.com/releases/22.04/release/',
            file: /^ubuntu-22\.04\.(\d+)-live-server-arm64\.iso$/,
            shown: 'ubuntu-22.04.N-live-server-arm64.iso',
            why: 'jammy has no arm64 desktop ISO; its live server ISO talks on the serial console, as -serial vc wants',
          },
        ],
  moved: {
    why: "Ubuntu stopped publishing jammy's daily-live builds (the guide's issue #19)",
    without: 'steps 9–11 do not need it, as the guide itself advises: kubenet run 03-cloud-image',
    option: '--live-iso',
  },
  choice: 'live-iso', // --live-iso FILE|URL, live-iso: in kubenet.yaml, KUBENET_LIVE_ISO
  approxBytes: ({ ubuntuArch }) => (ubuntuArch === 'arm64' ? 2.1e9 : 4.8e9), // jammy's 22.04.5 ISOs
});

export default task({
  name: '02-live-cd',
  title: 'The Ubuntu live CD, with network, graphics and a disk',
  deps: ['00-qemu'],
  steps: [
    {
      step: 5,
      name: 'live-cd',
      title: 'Live CD',
      summary: 'boot the Ubuntu live ISO with 2 CPUs and 2G of memory; log in as ubuntu',
      needs: [liveIso],
      vm: 'live-cd',
      boot: ({ $, qemu, board, accel, highmem, cpu, smp, memory, console, firmware }) => $`
        ${qemu} -nodefaults -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
          -smp ${smp} -m ${memory}
          -chardev vc,id=monitor -mon monitor ${console}
          ${firmware}
          -cdrom ${liveIso}`,
    },
    {
      step: 6,
      name: 'network',
      title: 'Network',
      summary: 'add a network card',
      needs: [liveIso],
      vm: 'live-cd',
      boot: ({ $, sudo, qemu, board, accel, highmem, cpu, smp, memory, console, firmware, nic }) => $`
        ${sudo} ${qemu} -nodefaults -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
          -smp ${smp} -m ${memory}
          -chardev vc,id=monitor -mon monitor ${console}
          ${firmware}
          -cdrom ${liveIso}
          -nic ${nic}`,
    },
    {
      step: 7,
      name: 'graphics',
      title: 'Graphics and peripherals',
      summary: 'a GPU, a display, USB input and sound',
      onlyIn: {
        edition: 'macos',
        otherwise:
          'the Linux edition goes from the network straight to the disk, with no graphics or peripheral devices',
      },
      needs: [liveIso],
      vm: 'live-cd',
      boot: ({ $, sudo, qemu, board, accel, highmem, cpu, smp, memory, console, firmware, nic, display, audio }) => $`
        ${sudo} ${qemu} -nodefaults -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
          -smp ${smp} -m ${memory}
          -chardev vc,id=monitor -mon monitor ${console}
          ${firmware}
          -cdrom ${liveIso}
          -nic ${nic}
          ${peripherals(display, audio)}`,
    },
    {
      step: 8,
      name: 'disk',
      title: 'Disk',
      summary: 'a 128G qcow2 disk to install Ubuntu onto (made once: it holds your installed system)',
      needs: [liveIso],
      vm: 'live-cd',
      makes: ['ubuntu.img'],
      async make({ $, once, diskSize }) {
        await once('ubuntu.img', $`qemu-img create -f qcow2 ubuntu.img ${diskSize}`);
      },
      boot: ({
        $,
        edition,
        sudo,
        qemu,
        board,
        accel,
        highmem,
        cpu,
        smp,
        memory,
        console,
        firmware,
        nic,
        display,
        audio,
      }) => $`
        ${sudo} ${qemu} -nodefaults -machine ${board},accel=${accel}${highmem} -cpu ${cpu}
          -smp ${smp} -m ${memory}
          -chardev vc,id=monitor -mon monitor ${console}
          ${firmware}
          -cdrom ${liveIso}
          -nic ${nic}
          -hda ubuntu.img
          ${edition === 'macos' ? peripherals(display, audio) : []}`,
    },
  ],
});

// The macOS edition's step 7: a GPU, the window, USB input and a sound card.
function peripherals(display: string, audio: string): string[] {
  return [
    ...['-device', 'virtio-gpu-pci', '-display', `${display},show-cursor=on`],
    ...['-device', 'nec-usb-xhci', '-device', 'usb-mouse', '-device', 'usb-tablet', '-device', 'usb-kbd'],
    ...['-audiodev', `${audio},id=audio0`, '-device', 'ich9-intel-hda', '-device', 'hda-output,audiodev=audio0'],
  ];
}
