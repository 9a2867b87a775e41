// Host facts are detected in one place (tasks/00-qemu.ts via lib/host/*) and passed around as data;
// builders and tasks never probe the machine themselves.

export type GuestArch = 'aarch64' | 'x86_64';
export type Accel = 'hvf' | 'kvm' | 'tcg';
export type HostOs = 'darwin' | 'linux' | 'other';
export type NetMode = 'user' | 'vmnet-shared' | 'vmnet-bridged' | 'none';
// The guide's two editions: its main text (macOS on Apple Silicon, HVF, vmnet) and its Linux
// edition (x86_64, KVM, TAP and a bridge). lib/task/editions.ts says which a host follows.
export type Edition = 'macos' | 'linux';

// Which edition of the guide a run follows: the host OS and the guest architecture.
export interface Profile {
  hostOs: HostOs;
  hostArch: string; // process.arch spelled as QEMU does: aarch64, x86_64, …
  guestArch: GuestArch;
}

export interface FirmwareChoice {
  // How QEMU loads it: `-bios FILE`, or pflash (code + a per-VM writable copy of vars).
  mode: 'bios' | 'pflash';
  code: string; // absolute path
  vars?: string; // template for the per-VM variables file (pflash only)
  source: 'descriptor' | 'homebrew' | 'distro' | 'override';
  why: string; // one line: why this file was chosen
}

export interface AccelChoice {
  accel: Accel;
  why: string;
  probe?: AccelProbe; // present when kvm or hvf was tried (never for tcg)
}

// kvm or hvf tried for real: the firmware started under it for a moment (host-probe/accel-probe.ts). A
// /dev/kvm that opens fine may still be unable to run a VM.
export interface AccelProbe {
  accel: Accel; // what was tried
  verdict: 'usable' | 'unusable' | 'unknown'; // unknown: the probe could not tell (QMP silent)
  reason: string; // one line; QEMU's own words when it failed
  ms: number; // what the probe cost
}

// What 00-qemu records in images/qemu.json and every later task reads.
export interface QemuFacts {
  profile: Profile;
  qemu: string; // absolute path of qemu-system-<arch>
  qemuImg: string; // absolute path of qemu-img
  version: string; // QEMU_VERSION as the guide computes it, e.g. "8.2.0" or "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)"
  semver: [number, number, number];
  firmware: FirmwareChoice;
  accel: AccelChoice;
}
