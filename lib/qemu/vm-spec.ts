// A VM described as data. buildCommand turns it into argv; nothing here touches the machine.
// Each single-valued QEMU option is a single field, so most conflicts cannot be written down;
// the ordered `peripherals` list is where the guide interleaves -device, -display and -audiodev.
import type { Accel } from '../host/types.js';

// key=value pairs after an option's head (`virt,accel=hvf,highmem=on`), in insertion order.
// Booleans print as on/off, the way QEMU spells them.
export type Props = Record<string, string | number | boolean>;

export interface Machine {
  type: 'virt' | 'q35';
  accel?: Accel;
  props?: Props; // after accel, e.g. { highmem: 'on' } (a `virt` property)
}

export interface Cpu {
  model: string; // host, max, cortex-a72, …
  props?: Props; // e.g. { 'pauth-impdef': 'on' }
}

// A host-side character device: `-chardev BACKEND,id=ID,…`.
export interface Chardev {
  backend: 'vc' | 'stdio' | 'file' | 'socket' | 'pty' | 'null';
  id: string;
  props?: Props; // logfile, mux, signal, path, …
}

export interface Consoles {
  chardevs?: Chardev[];
  mons?: string[]; // chardev ids: `-mon monitor`
  serials?: string[]; // `-serial vc`, `-serial chardev:serial0`, …
  vga?: string; // `-vga std`: the live console of the amd64 desktop images
}

// Firmware where the guide has `-bios`: either that, or pflash drives (code read-only + a
// writable per-VM copy of the variables). `vars` is the copy, never the shared template.
export type Firmware = { mode: 'bios'; file: string } | { mode: 'pflash'; code: string; vars?: string };

// `-nic user,hostfwd=…`, `-nic vmnet-shared`, `-nic vmnet-bridged,ifname=en0`, `-nic none`.
export type Nic =
  | { type: 'user'; hostfwd?: string[]; props?: Props }
  | { type: 'vmnet-shared'; props?: Props }
  | { type: 'vmnet-bridged'; ifname: string; props?: Props }
  | { type: 'none' };

// What the guide's step 7 lists in one run, in its order: devices, the display and audio backends.
export type Peripheral =
  | { kind: 'device'; driver: string; props?: Props }
  | { kind: 'display'; backend: string; props?: Props }
  | { kind: 'audiodev'; backend: string; id: string; props?: Props };

export interface VmSpec {
  exe: string; // command name as the guide writes it: qemu-system-aarch64
  sudo?: { reason: string }; // present when the command must run as root
  nographic?: boolean;
  nodefaults?: boolean;
  machine: Machine;
  cpu?: Cpu;
  smp?: number;
  memory?: string; // `-m 2G`
  consoles?: Consoles;
  firmware?: Firmware;
  cdrom?: string;
  nics?: Nic[];
  hda?: string;
  peripherals?: Peripheral[];
  drives?: Props[]; // `-drive file=cidata.iso,driver=raw,if=virtio`
  // What kubenet adds to the guide's command to control a run (see boot-control.ts).
  display?: { backend: string; props?: Props }; // `-display none`
  monitor?: 'none'; // `-monitor none`
  qmp?: string; // `-qmp unix:PATH,server=on,wait=off`
  pidFile?: string;
  noReboot?: boolean;
  startPaused?: boolean; // `-S`
}
