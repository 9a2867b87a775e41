// The oldest QEMU each part of the chapter works with on a profile, and why; below `tested`
// kubenet warns, below a minimum it fails.
import type { Accel, NetMode, Profile } from '../host/types.js';

export interface Minimum {
  version: [number, number, number];
  why: string;
}

export const testedVersion: Minimum = {
  version: [7, 2, 0],
  why: 'kubenet is tested with QEMU 7.2 (Debian 12) and 8.2 (Homebrew)',
};

export function qemuMinimums(profile: Profile, net: NetMode, accel: Accel): Minimum[] {
  const out: Minimum[] = [{ version: [4, 0, 0], why: '-audiodev (step 7) arrived in QEMU 4.0' }];
  if (profile.hostOs === 'darwin' && accel === 'hvf' && profile.guestArch === 'aarch64') {
    out.push({ version: [6, 2, 0], why: 'hvf for arm64 guests on Apple Silicon arrived in QEMU 6.2' });
  }
  if (net.startsWith('vmnet')) out.push({ version: [7, 1, 0], why: `-nic ${net} (macOS vmnet) arrived in QEMU 7.1` });
  return out;
}
