// The accelerator: hvf on macOS, kvm when /dev/kvm is usable and the guest runs the host's
// architecture, else tcg — with the reason, which the run prints. Once kvm or hvf has been tried
// for real (host-probe/accel-probe.ts), one that cannot run a VM gives way to tcg, unless the user named it
// with --accel: then it stays, and the reason says that its probe failed.
import type { AccelChoice, Accel, AccelProbe, Profile } from './types.js';

export interface AccelInput {
  profile: Profile;
  kvmUsable: boolean;
  kvmMissing?: boolean; // Linux: there is no /dev/kvm at all (rather than one you may not open)
  override?: Accel;
  probe?: AccelProbe; // the outcome of trying the accelerator this returned without it
}

export function chooseAccel(input: AccelInput): AccelChoice {
  const choice = beforeProbe(input);
  const { probe } = input;
  if (!probe || probe.accel !== choice.accel) return choice;
  if (probe.verdict === 'usable') return { ...choice, probe };
  if (probe.verdict === 'unknown')
    return { ...choice, why: `${choice.why}; its probe could not tell (${probe.reason})`, probe };
  if (input.override) return { ...choice, why: `${choice.why}, although its probe failed: ${probe.reason}`, probe };
  return {
    accel: 'tcg',
    why: `accel=${probe.accel} cannot run a VM here: ${probe.reason}; emulating (TCG, slow)`,
    probe,
  };
}

function beforeProbe({ profile, kvmUsable, kvmMissing, override }: AccelInput): AccelChoice {
  if (override) return { accel: override, why: `--accel ${override}` };
  const native = profile.guestArch === profile.hostArch;
  if (profile.hostOs === 'darwin') {
    return native
      ? { accel: 'hvf', why: "macOS Hypervisor Framework (the guide's accel=hvf)" }
      : { accel: 'tcg', why: `hvf runs only ${profile.hostArch} guests; ${profile.guestArch} is emulated (TCG, slow)` };
  }
  if (profile.hostOs === 'linux') {
    if (!native)
      return {
        accel: 'tcg',
        why: `KVM runs only ${profile.hostArch} guests; ${profile.guestArch} is emulated (TCG, slow)`,
      };
    if (kvmUsable) return { accel: 'kvm', why: "/dev/kvm is usable (the guide's accel=kvm)" };
    if (kvmMissing) {
      return {
        accel: 'tcg',
        why:
          'there is no /dev/kvm: emulating (TCG, slow); KVM needs virtualization ' +
          'enabled in the firmware (or nested virtualization on a cloud VM)',
      };
    }
    return {
      accel: 'tcg',
      why: '/dev/kvm is there but this user may not open it: emulating (TCG, slow); add yourself to the kvm group',
    };
  }
  return { accel: 'tcg', why: `no known hypervisor on ${profile.hostOs}: emulating (TCG, slow)` };
}
