// The accelerator. TCG works everywhere, only slowly, so it is a warning, never a failure.
import { ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

export function checkAccel(host: HostDescription): CheckResult {
  const { accel, why } = host.accel;
  if (accel !== 'tcg') return ok('accelerator', `${accel} — ${why}`);
  const { profile } = host;
  const text = `tcg (emulation, several times slower) — ${why}`;
  if (why.startsWith('--accel')) return warn('accelerator', text, 'drop --accel tcg to use hardware acceleration where there is one');
  if (profile.guestArch !== profile.hostArch) {
    return warn('accelerator', text, `expected for ${profile.guestArch} guests on a ${profile.hostArch} host; --arch ${profile.hostArch} runs at full speed`);
  }
  if (profile.hostOs === 'linux') {
    const fix =
      host.kvmDevice === 'no-access'
        ? 'sudo usermod -aG kvm $USER, then log in again (/dev/kvm exists but you cannot open it)'
        : 'enable virtualization (VT-x / AMD-V) in the firmware settings, or nested virtualization on a cloud VM; without it every boot is slow';
    return warn('accelerator', text, fix);
  }
  return warn('accelerator', text, 'kubenet knows hvf (macOS) and kvm (Linux); elsewhere it emulates');
}
