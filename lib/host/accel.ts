// The accelerator: hvf on macOS, kvm when /dev/kvm is usable and the guest runs the host's
// architecture, else tcg — with the reason, which the run prints.
import type { AccelChoice, Accel, Profile } from './types.js';

export interface AccelInput {
  profile: Profile;
  kvmUsable: boolean;
  override?: Accel;
}

export function chooseAccel({ profile, kvmUsable, override }: AccelInput): AccelChoice {
  if (override) return { accel: override, why: `--accel ${override}` };
  const native = profile.guestArch === profile.hostArch;
  if (profile.hostOs === 'darwin') {
    return native
      ? { accel: 'hvf', why: 'macOS Hypervisor Framework (the guide\'s accel=hvf)' }
      : { accel: 'tcg', why: `hvf runs only ${profile.hostArch} guests; ${profile.guestArch} is emulated (TCG, slow)` };
  }
  if (profile.hostOs === 'linux') {
    if (!native) return { accel: 'tcg', why: `KVM runs only ${profile.hostArch} guests; ${profile.guestArch} is emulated (TCG, slow)` };
    if (kvmUsable) return { accel: 'kvm', why: '/dev/kvm is usable (the guide\'s accel=kvm)' };
    return { accel: 'tcg', why: '/dev/kvm is missing or not accessible: emulating (TCG, slow); add yourself to the kvm group or enable virtualization' };
  }
  return { accel: 'tcg', why: `no known hypervisor on ${profile.hostOs}: emulating (TCG, slow)` };
}
