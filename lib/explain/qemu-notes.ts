// Every QEMU option the chapter's steps produce, for both editions of the guide, in our words.
// Options whose meaning depends on their value (-device, -nic, -display, …) are keyed by
// "flag head", e.g. "-device usb-tablet"; see noteKey in explain-command.ts.
import type { OptionNote } from './option-note.js';

const accelWords: Record<string, string> = {
  hvf: 'accel=hvf runs guest code directly on the CPU through macOS Hypervisor.framework',
  kvm: 'accel=kvm runs guest code directly on the CPU through Linux KVM (/dev/kvm)',
  tcg: 'accel=tcg translates every guest instruction in software (no hypervisor: slow but works anywhere)',
};

const boardWords: Record<string, string> = {
  virt: 'virt, a board that mimics no real hardware and exists to host VMs (Arm)',
  q35: 'q35, a modern Intel PC chipset with PCI Express (x86)',
};

function machine(value: string): string {
  const [board = '', ...props] = value.split(',');
  const parts = [`board ${boardWords[board] ?? board}`];
  for (const prop of props) {
    const [key, v = ''] = prop.split('=');
    if (key === 'accel') parts.push(accelWords[v] ?? `accel=${v}`);
    else if (key === 'highmem') parts.push(`highmem=${v} lets the board place RAM and PCI windows above 4 GiB`);
    else parts.push(prop);
  }
  return parts.join('; ');
}

function cpu(value: string): string {
  const [model = '', ...props] = value.split(',');
  const head =
    model === 'host'
      ? "the guest sees this host's own CPU model and features (only possible with hvf or kvm)"
      : model === 'max'
        ? 'the guest gets every CPU feature QEMU can emulate (the stand-in for host under TCG)'
        : `CPU model ${model}`;
  const extra = props.includes('pauth-impdef=on')
    ? '; pauth-impdef=on swaps the costly architected pointer-authentication cipher for a cheap one'
    : '';
  return head + extra;
}

// A -nic value's properties after its backend: mac=…, script=…
const props = (value: string) =>
  new Map(
    value
      .split(',')
      .slice(1)
      .map((p) => [p.split('=')[0]!, p.slice(p.indexOf('=') + 1)] as const),
  );
const macWords = (p: Map<string, string>) =>
  p.get('mac') ? `; its MAC is ${p.get('mac')}, to which dnsmasq gives a fixed address` : '';

export const qemuNotes: Record<string, OptionNote> = {
  '--version': {
    what: 'print QEMU\'s version and copyright, then exit; its first line reads "QEMU emulator version 8.2.0"',
    why: 'the guide reads QEMU_VERSION from it (step 1)',
  },
  '-nographic': {
    what: 'no window: the serial console and the QEMU monitor share this terminal (Ctrl-A C switches, Ctrl-A X quits)',
    why: 'a cloud image is used over a console or SSH, never a desktop, so the guide runs it headless',
  },
  '-nodefaults': {
    what:
      'start with none of the devices QEMU adds on its own (no default ' +
      'monitor, serial port, display adapter, network or drives)',
    why: 'the guide takes the hard way on purpose: every device the VM gets is one you asked for',
  },
  '-machine': {
    what: machine,
    why: 'the board decides which buses and devices exist; the accelerator decides how fast the guest runs',
    longForms: ['-M <board> -accel <accelerator> (the accelerator as an option of its own)'],
  },
  '-cpu': {
    what: cpu,
    why:
      "without -cpu QEMU picks an old default model (on Arm's virt board a 32-bit " +
      'Cortex-A15, on x86 the generic qemu64); host gives the guest the real CPU at full speed',
  },
  '-smp': {
    what: (v) => `${v} virtual CPUs`,
    why: 'a desktop live CD is painfully slow on one CPU',
  },
  '-m': {
    what: (v) => `${v} of guest memory (QEMU's default is 128 MiB)`,
    why: "Ubuntu's installer and desktop need a couple of gigabytes",
  },
  '-chardev vc': {
    what: (v) =>
      `a character device named ${/id=([^,]+)/.exec(v)?.[1] ?? '?'} ` +
      `shown as a text console in QEMU's window (vc = virtual console)`,
    why: 'with -nodefaults there is no monitor; this gives it somewhere to appear',
  },
  '-mon': {
    what: (v) =>
      `attach the QEMU monitor (QEMU's own command prompt: info, stop, quit, …) to the character device ${v}`,
    why: 'the guide wires the monitor by hand to show what QEMU normally does for you',
    longForms: ['-monitor vc (the short form that makes the chardev for you)'],
  },
  '-serial': {
    what: (v) => `the guest's first serial port goes to ${v === 'vc' ? "a text console in QEMU's window" : v}`,
    why: 'the arm64 images print their boot messages and login prompt on the serial port',
  },
  '-vga': {
    what: (v) => `a ${v} VGA display adapter`,
    why: 'the amd64 desktop images talk to a screen, not the serial port; -nodefaults removed the default adapter',
  },
  '-bios': {
    what: (v) => `load ${v} as the machine's firmware: UEFI (edk2), which can boot from CDs and disks`,
    why:
      'the Ubuntu images boot through UEFI, and neither board brings it: ' +
      "Arm's virt board has no firmware of its own, q35 starts legacy SeaBIOS",
    longForms: ["-drive if=pflash,readonly=on,format=raw,file=<firmware> (the guide's long form, step 4)"],
  },
  '-drive if=pflash': {
    what: (v) =>
      /readonly=on/.test(v)
        ? "map the UEFI firmware code into the machine's flash, read-only"
        : "map this VM's own copy of the UEFI variables (boot entries, settings) into the second flash bank, writable",
    why:
      'the long form of -bios (step 4); a split CODE/VARS firmware needs ' +
      'it so settings survive a reboot without writing to the shared file',
    longForms: ['-bios <firmware> (the short form, without saved variables)'],
  },
  '-cdrom': {
    what: (v) => `insert ${v} as a read-only CD (on virt it becomes a virtio disk, on q35 an AHCI CD drive)`,
    why: 'the live CD the guide boots and installs Ubuntu from',
    longForms: [
      '-drive file=<iso>,index=2,media=cdrom',
      '-blockdev node-name=cdrom,driver=file,read-only=on,filename=<iso> -device virtio-blk-pci,drive=cdrom',
    ],
  },
  '-nic user': {
    what: (v) =>
      `a network card on QEMU's built-in user-mode network (NAT inside the QEMU process; the guest ` +
      `reaches out, nothing reaches in${/hostfwd=/.test(v) ? ' except the forwarded ports' : ''})`,
    why: "the Linux edition's network: it needs no root and no host set-up",
    longForms: ['-netdev user,id=net0 -device virtio-net-pci,netdev=net0'],
  },
  '-nic vmnet-shared': {
    what: (v) => {
      const p = props(v);
      const range = p.get('start-address')
        ? `; start-address, end-address and subnet-mask make it ` +
          `${p.get('start-address')}–${p.get('end-address')}/${p.get('subnet-mask')}, the host the first`
        : '';
      return (
        `a network card on macOS vmnet in shared mode: the VM gets an address on a private ` +
        `network behind the Mac's NAT, reachable from the Mac${range}${macWords(p)}`
      );
    },
    why:
      "the macOS edition's network (QEMU ≥ 7.1); vmnet needs root, hence " +
      'sudo; the cluster (chapter 2) fixes its range so dnsmasq can serve it',
    longForms: ['-netdev vmnet-shared,id=net0 -device virtio-net-pci,netdev=net0'],
  },
  '-nic vmnet-bridged': {
    what: 'a network card bridged by macOS vmnet onto a host interface: the VM appears on your LAN',
    why: "not in the guide's chapter 1 (--net vmnet-bridged); needs root",
    longForms: ['-netdev vmnet-bridged,id=net0,ifname=en0 -device virtio-net-pci,netdev=net0'],
  },
  '-nic tap': {
    what: (v) => {
      const p = props(v);
      const script = p.get('script');
      return (
        'a network card on a TAP interface QEMU makes on the host' +
        (script && script !== 'no' ? `; QEMU runs ${script} with its name, which puts it on the bridge` : '') +
        (p.get('downscript') === 'no' ? ', and nothing when it goes (the kernel removes a TAP with its QEMU)' : '') +
        macWords(p)
      );
    },
    why:
      "the cluster's network (chapter 2): every VM's TAP joins the bridge kubr0, " +
      'so the VMs and the host share one network; making a TAP needs root, hence sudo',
    longForms: ['-netdev tap,id=net0,script=tapup.sh,downscript=no -device virtio-net-pci,netdev=net0,mac=…'],
  },
  '-netdev': {
    what: (v) =>
      v.startsWith('stream,')
        ? `a network backend that is a unix stream socket (${props(v).get('addr.path')}), ` +
          `frames sent with their length, as a client: the other end is kubenet's switch`
        : `a network backend: ${v}`,
    why:
      "the root-free network (not in the guide): the VMs share a network through kubenet's switch, which " +
      'serves DHCP and DNS, so nothing needs root; -nic takes no such socket address, hence the long form',
    longForms: ['-nic stream,… (QEMU ≥ 8: dotted keys in -nic)'],
  },
  '-device virtio-net-pci': {
    what: (v) => `a virtio network card on the backend ${props(v).get('netdev')}${macWords(props(v))}`,
    why: 'the card -nic would add by itself on virt; with -netdev it is named',
  },
  '-nic none': {
    what: 'no network card at all',
    why: 'not in the guide (--net none): -nodefaults already gives none, this says so explicitly',
  },
  '-hda': {
    what: (v) => `attach ${v} as the first hard disk (its format, qcow2, is detected from the file)`,
    why: 'the disk the guest installs onto (step 8) or boots from (steps 10–11)',
    longForms: [
      '-drive file=<disk>,index=0,media=disk',
      '-blockdev node-name=disk,driver=qcow2,file.driver=file,file.filename=<disk> -device virtio-blk-pci,drive=disk',
    ],
  },
  '-drive if=virtio': {
    what: (v) =>
      `attach ${/file=([^,]+)/.exec(v)?.[1] ?? 'a file'} as a virtio disk, raw (the file is used byte for byte)`,
    why:
      'the cloud-init seed: cloud-init finds the disk labelled ' +
      'cidata on first boot and reads user-data and meta-data from it',
    longForms: [
      '-blockdev node-name=seed,driver=raw,file.driver=file,file.filename=cidata.iso -device virtio-blk-pci,drive=seed',
    ],
  },
  '-device virtio-gpu-pci': {
    what: 'a paravirtual graphics card (virtio GPU on PCI)',
    why: 'the Ubuntu desktop needs a screen to draw on',
  },
  '-display cocoa': {
    what: (v) =>
      `show the VM's screen in a native macOS ` +
      `window${/show-cursor=on/.test(v) ? ', with the mouse pointer visible' : ''}`,
    why: "the macOS edition's display",
  },
  '-display gtk': {
    what: (v) =>
      `show the VM's screen in a GTK window${/show-cursor=on/.test(v) ? ', with the mouse pointer visible' : ''}`,
    why: "cocoa exists only on macOS; gtk is the window Debian's and Ubuntu's QEMU build",
  },
  '-device nec-usb-xhci': {
    what: 'a USB 3 (xHCI) controller for the USB devices that follow',
    why: 'keyboard, mouse and tablet plug into it',
  },
  '-device usb-mouse': {
    what: 'a USB mouse (relative movements)',
    why: 'pointer input for the desktop',
  },
  '-device usb-tablet': {
    what: "a USB tablet (absolute positions), so the pointer follows the host's without being grabbed",
    why: 'makes the desktop usable in a window',
  },
  '-device usb-kbd': {
    what: 'a USB keyboard',
    why: 'with -nodefaults the virt board has no keyboard at all',
  },
  '-audiodev coreaudio': {
    what: (v) => `an audio backend on macOS Core Audio, named ${/id=([^,]+)/.exec(v)?.[1] ?? '?'}`,
    why: "where the sound card's output goes on the Mac",
  },
  '-audiodev pa': {
    what: (v) => `an audio backend on PulseAudio, named ${/id=([^,]+)/.exec(v)?.[1] ?? '?'}`,
    why: "coreaudio exists only on macOS; PulseAudio (or PipeWire's pulse server) is the Linux equivalent",
  },
  '-device ich9-intel-hda': {
    what: 'an Intel HD Audio controller',
    why: 'the sound card the desktop plays through',
  },
  '-device hda-output': {
    what: (v) =>
      `an output codec on the HD Audio controller, played through ` +
      `the audio backend ${/audiodev=([^,]+)/.exec(v)?.[1] ?? '?'}`,
    why: "connects the guest's sound to the host's speakers",
  },
};
