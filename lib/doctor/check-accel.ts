// The accelerator. TCG works everywhere, only slowly, so it is a warning, never a failure; so is
// a kvm or hvf that failed its probe (gather.ts starts the firmware under it).
import { ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

export function checkAccel(host: HostDescription): CheckResult {
  const { accel, why, probe } = host.accel;
  if (probe?.verdict === 'unusable') return probeFailed(host);
  if (probe?.verdict === 'unknown') {
    return warn(
      'accelerator',
      `${accel} — ${why}`,
      `kubenet uses ${accel}; should QEMU stop the VM, the run says so at once and --accel tcg is the way out`,
    );
  }
  if (accel !== 'tcg') return ok('accelerator', `${accel} — ${why}${probe ? `; ${probe.reason}` : ''}`);
  const { profile } = host;
  const text = `tcg (emulation, several times slower) — ${why}`;
  if (why.startsWith('--accel'))
    return warn('accelerator', text, 'drop --accel tcg to use hardware acceleration where there is one');
  if (profile.guestArch !== profile.hostArch) {
    return warn(
      'accelerator',
      text,
      `expected for ${profile.guestArch} guests on a ${profile.hostArch} ` +
        `host; --arch ${profile.hostArch} runs at full speed`,
    );
  }
  if (profile.hostOs === 'linux') {
    const fix =
      host.kvmDevice === 'no-access'
        ? 'sudo usermod -aG kvm $USER, then log in again (/dev/kvm exists but you cannot open it)'
        : 'enable virtualization (VT-x / AMD-V) in the firmware settings, or ' +
          'nested virtualization on a cloud VM; without it every boot is slow';
    return warn('accelerator', text, fix);
  }
  return warn('accelerator', text, 'kubenet knows hvf (macOS) and kvm (Linux); elsewhere it emulates');
}

// kvm or hvf is there but cannot run a VM: kubenet falls back to tcg unless --accel named it.
function probeFailed({ accel: { accel, why, probe }, kvmModule }: HostDescription): CheckResult {
  const tried = probe!.accel;
  const pvm =
    kvmModule === 'kvm_pvm'
      ? '; /dev/kvm here is kvm_pvm, a paravirtual KVM that runs only PVM-aware guest kernels, not UEFI firmware'
      : '';
  if (accel === 'tcg') {
    return warn(
      'accelerator',
      `tcg (emulation, several times slower) — ${why}`,
      `nothing to do: kubenet uses accel=tcg on this host${pvm}`,
    );
  }
  return warn(
    'accelerator',
    `${accel} — ${why}`,
    `drop --accel ${tried}: kubenet then uses accel=tcg, which runs here${pvm}`,
  );
}
