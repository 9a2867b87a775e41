// Probes this machine once (for 00-qemu, and for --dry-run before 00-qemu has run) and returns
// the facts every later task reads.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';
import { ExitCode, KubenetError } from '../errors.js';
import { chooseAccel } from './accel.js';
import { findFirmware } from './firmware.js';
import { installHint } from './install-hint.js';
import { qemuBinaries, qemuSystem } from './profile.js';
import { which } from './which.js';
import { parseQemuVersion } from './qemu-version.js';
import type { Accel, Profile, QemuFacts } from './types.js';

const run = promisify(execFile);

export interface DetectInput {
  profile: Profile;
  accel?: Accel;
  firmware?: string;
  env?: NodeJS.ProcessEnv;
}

export async function detectFacts({ profile, accel, firmware, env = process.env }: DetectInput): Promise<QemuFacts> {
  const { qemu, qemuImg } = qemuBinaries(profile, env);
  const missing = [!qemu && qemuSystem(profile.guestArch), !qemuImg && 'qemu-img'].filter(Boolean);
  if (!qemu || !qemuImg) {
    throw new KubenetError(`${missing.join(' and ')} not found on PATH`, {
      code: ExitCode.host,
      hint: `install QEMU: ${installHint(profile.hostOs, profile.guestArch, 'qemu')}`,
    });
  }
  const { stdout } = await run(qemu, ['--version']).catch((cause: unknown) => {
    throw new KubenetError(`${qemu} --version failed`, { code: ExitCode.host, cause, hint: 'reinstall QEMU' });
  });
  const { version, semver } = parseQemuVersion(stdout);
  return {
    profile,
    qemu,
    qemuImg,
    version,
    semver,
    firmware: findFirmware({ guestArch: profile.guestArch, hostOs: profile.hostOs, env, override: firmware, brewPrefix: await brewPrefix(profile, env) }),
    accel: chooseAccel({ profile, kvmUsable: kvmUsable(), override: accel }),
  };
}

export function kvmUsable(device = '/dev/kvm'): boolean {
  try {
    accessSync(device, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function brewPrefix(profile: Profile, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.HOMEBREW_PREFIX) return env.HOMEBREW_PREFIX;
  const brew = which('brew', env);
  if (!brew) return profile.hostOs === 'darwin' ? '/opt/homebrew' : undefined;
  try {
    return (await run(brew, ['--prefix'])).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
