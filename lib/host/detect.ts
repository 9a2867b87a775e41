// Probes this machine once (for 00-qemu, and for --dry-run before 00-qemu has run) and returns
// the facts every later task reads.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';
import { ExitCode, KubenetError } from '../errors.js';
import { chooseAccel } from './accel.js';
import { probeAccel } from './accel-probe.js';
import { findFirmware } from './firmware.js';
import { installHint } from './install-hint.js';
import { qemuBinaries, qemuSystem } from './profile.js';
import { which } from './which.js';
import { parseQemuVersion } from './qemu-version.js';
import type { Accel, AccelChoice, FirmwareChoice, Profile, QemuFacts } from './types.js';

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
  const fw = findFirmware({ guestArch: profile.guestArch, hostOs: profile.hostOs, env, override: firmware, brewPrefix: await brewPrefix(profile, env) });
  return { profile, qemu, qemuImg, version, semver, firmware: fw, accel: await detectAccel({ profile, override: accel, qemu, firmware: fw }) };
}

// The accelerator for this host; kvm or hvf only after starting the firmware under it worked.
export async function detectAccel({ profile, override, qemu, firmware }: {
  profile: Profile;
  override?: Accel | undefined;
  qemu?: string | undefined; // without QEMU or firmware there is nothing to probe with
  firmware?: FirmwareChoice | undefined;
}): Promise<AccelChoice> {
  const input = { profile, kvmUsable: kvmUsable(), ...(override ? { override } : {}) };
  const first = chooseAccel(input);
  if (first.accel === 'tcg' || !qemu || !firmware) return first;
  return chooseAccel({ ...input, probe: await probeAccel({ qemu, guestArch: profile.guestArch, accel: first.accel, firmware }) });
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
