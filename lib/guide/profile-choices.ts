// Where the two editions of the guide differ (the host-profile table of chapter-01.md), and
// where kubenet substitutes honestly for what a host cannot do. Pure: facts come in as data.
import { ExitCode, KubenetError } from '../errors.js';
import type { GuestArch, NetMode } from '../host/types.js';
import type { Consoles, Cpu, Firmware, Machine, Nic, Peripheral, VmSpec } from '../qemu/vm-spec.js';
import type { StepInput } from './step-input.js';

export const emulator = (input: StepInput): string => `qemu-system-${input.profile.guestArch}`;

// virt for arm64 guests, q35 for amd64; highmem (a virt property) from step 5 on.
export const machineType = (guestArch: GuestArch): Machine['type'] => (guestArch === 'aarch64' ? 'virt' : 'q35');

export function machine(input: StepInput, highmem: boolean): Machine {
  const type = machineType(input.profile.guestArch);
  const m: Machine = { type, accel: input.facts.accel.accel };
  if (highmem && type === 'virt') m.props = { highmem: 'on' };
  return m;
}

// `-cpu host` exists only with an accelerator. Under TCG `max` is the honest substitute, and on
// arm64 pauth-impdef=on avoids the slow architected pointer-auth emulation.
export function cpu(input: StepInput): Cpu {
  if (input.facts.accel.accel !== 'tcg') return { model: 'host' };
  return input.profile.guestArch === 'aarch64' ? { model: 'max', props: { 'pauth-impdef': 'on' } } : { model: 'max' };
}

// Monitor and the live console: the arm64 images talk on the serial port (`-serial vc`), the
// amd64 desktop images on VGA (`-vga std`), as the guide's Linux edition has it.
export function liveConsoles(input: StepInput): Consoles {
  const live: Consoles = input.profile.guestArch === 'x86_64' ? { vga: 'std' } : { serials: ['vc'] };
  return { chardevs: [{ backend: 'vc', id: 'monitor' }], mons: ['monitor'], ...live };
}

export function firmware(input: StepInput): Firmware {
  const fw = input.facts.firmware;
  if (fw.mode === 'bios') return { mode: 'bios', file: fw.code };
  if (fw.vars === undefined) return { mode: 'pflash', code: fw.code };
  const vars = input.files?.firmwareVars;
  if (vars === undefined) {
    throw new KubenetError(`pflash firmware ${fw.code} needs a writable copy of ${fw.vars} for this VM`, {
      code: ExitCode.failure,
      hint: 'Pass files.firmwareVars (the VM folder\'s efivars.fd, copied from the template) to guideStep; the shared template must never be written to.',
    });
  }
  return { mode: 'pflash', code: fw.code, vars };
}

export const defaultNet = (input: StepInput): NetMode => input.net ?? (input.profile.hostOs === 'darwin' ? 'vmnet-shared' : 'user');

export function nic(input: StepInput): Nic {
  const net = defaultNet(input);
  switch (net) {
    case 'user':
      return input.sshPort === undefined ? { type: 'user' } : { type: 'user', hostfwd: [`tcp:127.0.0.1:${input.sshPort}-:22`] };
    case 'vmnet-shared':
      return { type: 'vmnet-shared' };
    case 'vmnet-bridged':
      if (input.bridgeInterface === undefined) {
        throw new KubenetError('vmnet-bridged networking needs a host interface to bridge to', {
          code: ExitCode.usage,
          hint: 'Name the interface (e.g. en0, see `networksetup -listallhardwareports`), or use --net vmnet-shared.',
        });
      }
      return { type: 'vmnet-bridged', ifname: input.bridgeInterface };
    case 'none':
      return { type: 'none' };
  }
}

// vmnet is a macOS framework that needs root (guide, step 6); user networking needs nothing.
export function sudoFor(input: StepInput): VmSpec['sudo'] {
  const net = defaultNet(input);
  return net.startsWith('vmnet') ? { reason: `-nic ${net} uses macOS vmnet, which needs root` } : undefined;
}

// Step 7 in the guide's order. cocoa and coreaudio exist only on macOS; the Linux edition is
// silent here, so kubenet uses gtk and PulseAudio, the backends Debian and Ubuntu build.
export function graphicsAndPeripherals(input: StepInput): Peripheral[] {
  const mac = input.profile.hostOs === 'darwin';
  return [
    { kind: 'device', driver: 'virtio-gpu-pci' },
    { kind: 'display', backend: mac ? 'cocoa' : 'gtk', props: { 'show-cursor': 'on' } },
    { kind: 'device', driver: 'nec-usb-xhci' },
    { kind: 'device', driver: 'usb-mouse' },
    { kind: 'device', driver: 'usb-tablet' },
    { kind: 'device', driver: 'usb-kbd' },
    { kind: 'audiodev', backend: mac ? 'coreaudio' : 'pa', id: 'audio0' },
    { kind: 'device', driver: 'ich9-intel-hda' },
    { kind: 'device', driver: 'hda-output', props: { audiodev: 'audio0' } },
  ];
}
