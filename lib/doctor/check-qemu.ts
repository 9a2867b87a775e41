// QEMU itself: the emulator for this guest architecture, its version against what the profile
// needs, and qemu-img.
import { isKubenetError } from '../errors.js';
import { installHint } from '../host/install-hint.js';
import { qemuSystem } from '../host/profile.js';
import { atLeast, parseQemuVersion } from '../host/qemu-version.js';
import { fail, ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';
import { qemuMinimums, testedVersion } from './qemu-minimums.js';

const show = (v: readonly number[]) => v.join('.');

export function checkQemu(host: HostDescription): CheckResult {
  const exe = qemuSystem(host.profile.guestArch);
  const install = installHint(host.profile.hostOs, host.profile.guestArch, 'qemu');
  const path = host.tools.qemu;
  if (!path) return fail('qemu', `${exe} not found on PATH`, install);
  if (host.qemuVersionOutput === undefined)
    return fail('qemu', `${path} --version did not run`, `reinstall QEMU: ${install}`);
  let parsed;
  try {
    parsed = parseQemuVersion(host.qemuVersionOutput);
  } catch (error) {
    if (!isKubenetError(error)) throw error;
    return fail('qemu', error.message, error.hint ?? install);
  }
  const { version, semver } = parsed;
  const upgrade =
    host.profile.hostOs === 'darwin'
      ? 'brew upgrade qemu'
      : `a newer QEMU (${install}, or your distribution's backports)`;
  const below = qemuMinimums(host.profile, host.net, host.accel.accel).filter((m) => !atLeast(semver, m.version));
  if (below.length) {
    const need = below.reduce((a, b) => (atLeast(a.version, b.version) ? a : b));
    return fail(
      'qemu',
      `${exe} ${version} is older than ${show(need.version)}: ${below.map((m) => m.why).join('; ')}`,
      `install ${upgrade}`,
    );
  }
  if (!atLeast(semver, testedVersion.version)) {
    return warn(
      'qemu',
      `${exe} ${version} is older than ${show(testedVersion.version)}; ${testedVersion.why}`,
      `if a step fails, install ${upgrade}`,
    );
  }
  return ok('qemu', `${exe} ${version} (${path})`);
}

export function checkQemuImg(host: HostDescription): CheckResult {
  const path = host.tools['qemu-img'];
  if (!path)
    return fail(
      'qemu-img',
      'qemu-img not found on PATH (steps 8 and 9 make disks with it)',
      installHint(host.profile.hostOs, host.profile.guestArch, 'qemu'),
    );
  return ok('qemu-img', path);
}
