// Which edition of the guide this host follows, and which guest architecture it runs.
import { ExitCode, KubenetError } from '../errors.js';
import type { GuestArch, HostOs, Profile } from './types.js';
import { which } from './which.js';

const qemuArch: Record<string, string> = { arm64: 'aarch64', x64: 'x86_64' };

export function detectProfile(
  override?: GuestArch,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): Profile {
  const hostOs: HostOs = platform === 'darwin' ? 'darwin' : platform === 'linux' ? 'linux' : 'other';
  const hostArch = qemuArch[arch] ?? arch;
  const guestArch = override ?? (hostArch === 'aarch64' ? 'aarch64' : hostArch === 'x86_64' ? 'x86_64' : undefined);
  if (!guestArch) {
    throw new KubenetError(`no guest architecture for a ${platform}-${arch} host`, {
      code: ExitCode.usage,
      hint: 'pass --arch aarch64 or --arch x86_64',
    });
  }
  return { hostOs, hostArch, guestArch };
}

export const qemuSystem = (guestArch: GuestArch) => `qemu-system-${guestArch}`;

// The binaries on PATH (a few stat calls, cheap enough for every up-to-date check).
export function qemuBinaries(profile: Profile, env: NodeJS.ProcessEnv = process.env) {
  return { qemu: which(qemuSystem(profile.guestArch), env), qemuImg: which('qemu-img', env) };
}
