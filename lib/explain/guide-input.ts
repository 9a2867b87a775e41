// The guide's own host for a guest architecture: its main text (macOS, Apple Silicon) for arm64
// guests, its Linux edition for amd64 guests, with the firmware paths the guide writes. What
// `explain` compares this host's command with.
import type { GuestArch } from '../host/types.js';
import type { StepInput } from '../guide/step-input.js';

export const guideFirmware: Record<GuestArch, string> = {
  aarch64: '/opt/homebrew/share/qemu/edk2-aarch64-code.fd',
  x86_64: '/usr/share/qemu/OVMF.fd',
};

export function guideInput(guestArch: GuestArch): StepInput {
  const mac = guestArch === 'aarch64';
  return {
    profile: mac ? { hostOs: 'darwin', hostArch: 'aarch64', guestArch } : { hostOs: 'linux', hostArch: 'x86_64', guestArch },
    facts: {
      firmware: { mode: 'bios', code: guideFirmware[guestArch], source: mac ? 'homebrew' : 'distro', why: 'the path the guide writes' },
      accel: mac ? { accel: 'hvf', why: 'the guide\'s accel=hvf' } : { accel: 'kvm', why: 'the guide\'s accel=kvm' },
    },
  };
}

export const profileName = (input: StepInput): string => `${input.profile.hostOs}-${input.profile.hostArch}`;
