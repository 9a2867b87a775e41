// Where the guide's two editions differ in their values (the host-profile table of chapter-01.md),
// and where kubenet substitutes honestly for what a host cannot do. (Where they differ in their
// steps — a step only one edition has, a command one edition writes otherwise — is the task
// files' to say, with ${edition}: editions.ts.) Task files write these by name —
// `-machine ${board},accel=${accel}` — so the guide's command is visible with its holes. Pure:
// facts and settings come in as data.
import { ExitCode, KubenetError } from '../errors.js';
import type { Accel, Edition, FirmwareChoice, GuestArch, HostOs, NetMode } from '../host/types.js';
import { editionOf } from './editions.js';

export interface HostVars {
  hostOs: HostOs; // darwin | linux | other
  edition: Edition; // the edition of the guide this host follows: macos on macOS, linux elsewhere
  arch: GuestArch; // the guest's: aarch64 | x86_64
  ubuntuArch: 'arm64' | 'amd64'; // the same, as Ubuntu's file names spell it
  qemu: string; // qemu-system-aarch64 | qemu-system-x86_64
  board: 'virt' | 'q35'; // -machine: virt for arm64 guests, q35 for amd64
  accel: Accel; // hvf (macOS) | kvm (Linux) | tcg (no hardware acceleration)
  highmem: string; // ",highmem=on": a virt property from step 5 on; q35 has none
  cpu: string; // host, or max under tcg, where there is no host CPU to hand over
  // the live CD's console (step 5 on): -serial vc (arm64 images) or -vga std (amd64 desktop images draw on VGA)
  console: string[];
  firmware: string[]; // -bios FILE, or pflash drives: code read-only plus this VM's own variables
  nic: string; // -nic: vmnet-shared on macOS, user elsewhere
  sudo: string[]; // [sudo] when the network needs root (macOS vmnet), else nothing
  display: string; // -display: cocoa on macOS, gtk elsewhere
  audio: string; // -audiodev: coreaudio on macOS, PulseAudio (pa) elsewhere
  smp: number; // 2 in the guide; --smp
  memory: string; // 2G in the guide; --memory
  diskSize: string; // 128G in the guide; --disk-size
}

export interface HostVarsInput {
  hostOs: HostOs;
  arch: GuestArch;
  // What 00-qemu found. Without them (before 00-qemu has run) accel, cpu and firmware say so
  // when a command uses them; the other values need no facts.
  accel?: Accel;
  firmware?: Pick<FirmwareChoice, 'mode' | 'code' | 'vars'>;
  net?: NetMode; // default: vmnet-shared on macOS, user elsewhere
  smp?: number;
  memory?: string;
  diskSize?: string;
  firmwareVars?: string; // pflash with variables: this VM's copy, relative to images/
}

export const defaultNet = (hostOs: HostOs): NetMode => (hostOs === 'darwin' ? 'vmnet-shared' : 'user');

export function hostVars(input: HostVarsInput): HostVars {
  const mac = input.hostOs === 'darwin';
  const arm = input.arch === 'aarch64';
  const net = input.net ?? defaultNet(input.hostOs);
  const vars = {
    hostOs: input.hostOs,
    edition: editionOf(input.hostOs),
    arch: input.arch,
    ubuntuArch: arm ? 'arm64' : 'amd64',
    qemu: `qemu-system-${input.arch}`,
    board: arm ? 'virt' : 'q35',
    highmem: arm ? ',highmem=on' : '',
    console: arm ? ['-serial', 'vc'] : ['-vga', 'std'],
    nic: nicValue(net),
    sudo: net.startsWith('vmnet') ? ['sudo'] : [],
    display: mac ? 'cocoa' : 'gtk',
    audio: mac ? 'coreaudio' : 'pa',
    smp: input.smp ?? 2,
    memory: input.memory ?? '2G',
    diskSize: input.diskSize ?? '128G',
  } as Omit<HostVars, 'accel' | 'cpu' | 'firmware'>;
  const { accel, firmware } = input;
  if (accel === undefined || firmware === undefined) {
    const missing = () => {
      throw new KubenetError(
        'this command needs what 00-qemu finds (the accelerator, the firmware), and it has not run',
        {
          code: ExitCode.host,
          hint: "run kubenet run 00-qemu first; in a task of your own, add deps: ['00-qemu']",
        },
      );
    };
    return Object.defineProperties(vars, {
      accel: { get: missing, enumerable: true },
      cpu: { get: missing, enumerable: true },
      firmware: { get: missing, enumerable: true },
    }) as HostVars;
  }
  return Object.defineProperties(
    {
      ...vars,
      accel,
      // -cpu host exists only with an accelerator; under TCG max is the honest substitute, and on
      // arm64 pauth-impdef=on avoids the slow architected pointer-authentication emulation.
      cpu: accel !== 'tcg' ? 'host' : arm ? 'max,pauth-impdef=on' : 'max',
    },
    // Read when a command uses it: split CODE/VARS firmware needs a VM to hold the variables.
    { firmware: { get: () => firmwareArgs(firmware, input.firmwareVars), enumerable: true } },
  ) as HostVars;
}

// `-bios FILE` as the guide has it, or the long form of its step 4 for split CODE/VARS firmware.
function firmwareArgs(firmware: NonNullable<HostVarsInput['firmware']>, firmwareVars: string | undefined): string[] {
  if (firmware.mode === 'bios') return ['-bios', firmware.code];
  const code = ['-drive', `if=pflash,readonly=on,format=raw,file=${escape(firmware.code)}`];
  if (firmware.vars === undefined) return code;
  if (firmwareVars === undefined) {
    throw new KubenetError(`pflash firmware ${firmware.code} needs a writable copy of ${firmware.vars} for this VM`, {
      code: ExitCode.failure,
      hint: "only a step that boots a VM can use ${firmware} with this firmware (the copy lives in the VM's folder)",
    });
  }
  return [...code, '-drive', `if=pflash,format=raw,file=${escape(firmwareVars)}`];
}

// QEMU's option syntax doubles a comma inside a value.
const escape = (value: string) => value.replaceAll(',', ',,');

function nicValue(net: NetMode): string {
  if (net === 'vmnet-bridged') {
    throw new KubenetError('vmnet-bridged networking needs a host interface to bridge to', {
      code: ExitCode.usage,
      hint: "use --net vmnet-shared (the guide's) or --net user",
    });
  }
  return net;
}

// The guide's own hosts: its main text (macOS on Apple Silicon) for arm64 guests, its Linux
// edition for amd64 guests, with the firmware paths the guide writes. What `explain` and the
// golden tests compare a host with.
export const guideFirmware: Record<GuestArch, string> = {
  aarch64: '/opt/homebrew/share/qemu/edk2-aarch64-code.fd',
  x86_64: '/usr/share/qemu/OVMF.fd',
};

export function guideHostVars(arch: GuestArch): HostVars {
  const mac = arch === 'aarch64';
  return hostVars({
    hostOs: mac ? 'darwin' : 'linux',
    arch,
    accel: mac ? 'hvf' : 'kvm',
    firmware: { mode: 'bios', code: guideFirmware[arch] },
  });
}
