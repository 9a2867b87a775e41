// Probes this machine once (for 00-qemu, and for --dry-run before 00-qemu has run) and returns
// the facts every later task reads.
import { accessSync, constants, existsSync } from 'node:fs';
import { ExitCode, KubenetError } from '../errors.js';
import { chooseAccel } from '../host/accel.js';
import { runProcess } from '../process/run-process.js';
import { probeAccel } from './accel-probe.js';
import { findFirmware } from '../host/firmware.js';
import { installHint } from '../host/install-hint.js';
import { qemuBinaries, qemuSystem } from '../host/profile.js';
import { which } from '../host/which.js';
import { parseQemuVersion } from '../host/qemu-version.js';
import type { Accel, AccelChoice, FirmwareChoice, Profile, QemuFacts } from '../host/types.js';

// What a command printed, or undefined when it did not succeed within 10 s.
const printed = async (file: string, args: string[]): Promise<string | undefined> => {
  const r = await runProcess(file, args, { timeoutMs: 10_000 });
  return r.exitCode === 0 ? r.stdout : undefined;
};

export interface DetectInput {
  profile: Profile;
  accel?: Accel | undefined;
  firmware?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

// Everything this machine says about QEMU, gathered once and never thrown about: doctor checks
// it as it is, detectFacts turns it into the facts a run needs (or the error that stops one).
export interface HostInspection {
  profile: Profile;
  qemu?: string; // absolute path of qemu-system-<arch>
  qemuImg?: string;
  versionOutput?: string; // what `qemu-system-<arch> --version` printed; absent when it could not run
  firmware: FirmwareChoice | { error: string; hint?: string };
  accel: AccelChoice;
  kvmDevice?: 'usable' | 'no-access' | 'missing'; // Linux only
  kvmModule?: string; // Linux: the module behind /dev/kvm (kvm_intel, kvm_amd, kvm_pvm)
}

export async function inspectHost({
  profile,
  accel,
  firmware,
  env = process.env,
}: DetectInput): Promise<HostInspection> {
  const { qemu, qemuImg } = qemuBinaries(profile, env);
  const versionOutput = qemu ? await printed(qemu, ['--version']) : undefined;
  let fw: HostInspection['firmware'];
  try {
    fw = findFirmware({
      guestArch: profile.guestArch,
      hostOs: profile.hostOs,
      env,
      override: firmware,
      brewPrefix: await brewPrefix(profile, env),
    });
  } catch (error) {
    if (!(error instanceof KubenetError)) throw error;
    fw = { error: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  const kvmDevice =
    profile.hostOs !== 'linux' ? undefined : kvmUsable() ? 'usable' : existsSync('/dev/kvm') ? 'no-access' : 'missing';
  const kvmModule = kvmDevice
    ? ['kvm_intel', 'kvm_amd', 'kvm_pvm'].find((m) => existsSync(`/sys/module/${m}`))
    : undefined;
  return {
    profile,
    ...(qemu ? { qemu } : {}),
    ...(qemuImg ? { qemuImg } : {}),
    ...(versionOutput === undefined ? {} : { versionOutput }),
    firmware: fw,
    accel: await detectAccel({
      profile,
      override: accel,
      qemu: versionOutput === undefined ? undefined : qemu,
      firmware: 'code' in fw ? fw : undefined,
    }),
    ...(kvmDevice ? { kvmDevice } : {}),
    ...(kvmModule ? { kvmModule } : {}),
  };
}

// The facts 00-qemu records, or why QEMU cannot be used here.
export async function detectFacts(input: DetectInput): Promise<QemuFacts> {
  const host = await inspectHost(input);
  const { profile } = input;
  const { qemu, qemuImg } = host;
  if (!qemu || !qemuImg) {
    const missing = [!qemu && qemuSystem(profile.guestArch), !qemuImg && 'qemu-img'].filter(Boolean);
    throw new KubenetError(`${missing.join(' and ')} not found on PATH`, {
      code: ExitCode.host,
      hint: `install QEMU: ${installHint(profile.hostOs, profile.guestArch, 'qemu')}`,
    });
  }
  if (host.versionOutput === undefined)
    throw new KubenetError(`${qemu} --version failed`, { code: ExitCode.host, hint: 'reinstall QEMU' });
  const { version, semver } = parseQemuVersion(host.versionOutput);
  if ('error' in host.firmware)
    throw new KubenetError(host.firmware.error, {
      code: ExitCode.host,
      ...(host.firmware.hint ? { hint: host.firmware.hint } : {}),
    });
  return { profile, qemu, qemuImg, version, semver, firmware: host.firmware, accel: host.accel };
}

// The accelerator for this host; kvm or hvf only after starting the firmware under it worked.
export async function detectAccel({
  profile,
  override,
  qemu,
  firmware,
}: {
  profile: Profile;
  override?: Accel | undefined;
  qemu?: string | undefined; // without QEMU or firmware there is nothing to probe with
  firmware?: FirmwareChoice | undefined;
}): Promise<AccelChoice> {
  const input = {
    profile,
    kvmUsable: kvmUsable(),
    kvmMissing: profile.hostOs === 'linux' && !existsSync('/dev/kvm'),
    ...(override ? { override } : {}),
  };
  const first = chooseAccel(input);
  if (first.accel === 'tcg' || !qemu || !firmware) return first;
  return chooseAccel({
    ...input,
    probe: await probeAccel({ qemu, guestArch: profile.guestArch, accel: first.accel, firmware }),
  });
}

export function kvmUsable(device = '/dev/kvm'): boolean {
  try {
    accessSync(device, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// Homebrew's prefix: $HOMEBREW_PREFIX, else `brew --prefix`, else where brew installs by default
// (/opt/homebrew on Apple Silicon, /usr/local on an Intel Mac).
async function brewPrefix(profile: Profile, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.HOMEBREW_PREFIX) return env.HOMEBREW_PREFIX;
  const brew = which('brew', env);
  if (!brew)
    return profile.hostOs === 'darwin' ? (profile.hostArch === 'aarch64' ? '/opt/homebrew' : '/usr/local') : undefined;
  return (await printed(brew, ['--prefix']))?.trim() || undefined;
}
