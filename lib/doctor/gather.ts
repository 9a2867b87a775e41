// Looks at this machine once for doctor: PATH, `qemu --version`, firmware, the accelerator (kvm or
// hvf tried for real, see host/accel-probe.ts), free space, and (only when vmnet needs it)
// whether sudo works without a password.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { isKubenetError } from '../errors.js';
import { detectAccel, kvmUsable } from '../host/detect.js';
import { findFirmware } from '../host/firmware.js';
import { qemuSystem } from '../host/profile.js';
import type { Accel, NetMode, Profile } from '../host/types.js';
import { which } from '../host/which.js';
import type { Paths } from '../paths.js';
import type { HostDescription, Tool } from './host-description.js';

const run = promisify(execFile);

export interface GatherInput {
  profile: Profile;
  paths: Paths;
  net?: NetMode;
  accel?: Accel;
  firmware?: string;
  pending: HostDescription['pending']; // downloads still to come (see download-sizes.ts)
  env?: NodeJS.ProcessEnv;
}

export async function gatherHost({ profile, paths, net, accel, firmware, pending, env = process.env }: GatherInput): Promise<HostDescription> {
  const names: Record<Tool, string> = { qemu: qemuSystem(profile.guestArch), 'qemu-img': 'qemu-img', ssh: 'ssh', 'ssh-keygen': 'ssh-keygen', sudo: 'sudo' };
  const tools: HostDescription['tools'] = {};
  for (const [tool, name] of Object.entries(names) as [Tool, string][]) {
    const path = which(name, env);
    if (path) tools[tool] = path;
  }
  const mode: NetMode = net ?? (profile.hostOs === 'darwin' ? 'vmnet-shared' : 'user');
  const isRoot = process.getuid?.() === 0;
  const kvmDevice = profile.hostOs !== 'linux' ? undefined : kvmUsable() ? 'usable' : existsSync('/dev/kvm') ? 'no-access' : 'missing';
  const kvmModule = kvmDevice ? ['kvm_intel', 'kvm_amd', 'kvm_pvm'].find((m) => existsSync(`/sys/module/${m}`)) : undefined;
  const fw = firmwareOrError(profile, firmware, env);
  return {
    profile,
    net: mode,
    tools,
    ...(tools.qemu ? await versionOutput(tools.qemu) : {}),
    firmware: fw,
    accel: await detectAccel({ profile, override: accel, qemu: tools.qemu, firmware: 'code' in fw ? fw : undefined }),
    ...(kvmDevice ? { kvmDevice } : {}),
    ...(kvmModule ? { kvmModule } : {}),
    isRoot,
    ...(mode.startsWith('vmnet') && !isRoot && tools.sudo ? { sudoWithoutPassword: await sudoWorks(tools.sudo) } : {}),
    disk: await freeSpace(paths.root),
    pending,
  };
}

async function versionOutput(qemu: string): Promise<{ qemuVersionOutput?: string }> {
  try {
    return { qemuVersionOutput: (await run(qemu, ['--version'], { timeout: 10_000 })).stdout };
  } catch {
    return {};
  }
}

function firmwareOrError(profile: Profile, override: string | undefined, env: NodeJS.ProcessEnv): HostDescription['firmware'] {
  const brewPrefix = env.HOMEBREW_PREFIX ?? (profile.hostOs === 'darwin' ? (profile.hostArch === 'aarch64' ? '/opt/homebrew' : '/usr/local') : undefined);
  try {
    return findFirmware({ guestArch: profile.guestArch, hostOs: profile.hostOs, env, ...(override ? { override } : {}), ...(brewPrefix ? { brewPrefix } : {}) });
  } catch (error) {
    if (!isKubenetError(error)) throw error;
    return { error: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
}

// `sudo -n true` never prompts: it succeeds only when sudo would not ask for a password.
async function sudoWorks(sudo: string): Promise<boolean> {
  try {
    await run(sudo, ['-n', 'true'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

// images/ may not exist yet: measure the nearest folder that does.
async function freeSpace(root: string): Promise<HostDescription['disk']> {
  let dir = root;
  while (!canStat(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    const s = await statfs(dir);
    return { path: root, freeBytes: s.bavail * s.bsize };
  } catch (error) {
    return { path: root, error: (error as Error).message };
  }
}

function canStat(path: string): boolean {
  try {
    accessSync(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
