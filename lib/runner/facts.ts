// The QEMU facts a run uses — the one place they are loaded. 00-qemu records them in
// images/qemu.json with the settings that chose them (--accel, --firmware); a record made with
// other settings is not what this run would use. --dry-run and explain then detect instead
// (writing nothing), so they print what the next run would do.
import { readJson } from '../fs/json-file.js';
import type { Profile, QemuFacts } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';

export interface RecordedFacts extends QemuFacts {
  requested?: { accel?: string; firmware?: string };
}

export function recordedFacts(paths: Paths, profile: Profile, settings: Settings): QemuFacts | undefined {
  const recorded = readJson<RecordedFacts>(paths.facts);
  if (!recorded) return undefined; // not recorded yet
  if (recorded.profile?.guestArch !== profile.guestArch) return undefined;
  const asked = recorded.requested ?? {};
  if ((asked.accel ?? undefined) !== settings.accel || (asked.firmware ?? undefined) !== settings.firmware)
    return undefined;
  return recorded;
}

// Recorded facts, else detected now (nothing is written).
export async function currentFacts(paths: Paths, profile: Profile, settings: Settings): Promise<QemuFacts> {
  const recorded = recordedFacts(paths, profile, settings);
  if (recorded) return recorded;
  const { detectFacts } = await import('../host-probe/detect.js');
  return detectFacts({
    profile,
    ...(settings.accel ? { accel: settings.accel } : {}),
    ...(settings.firmware ? { firmware: settings.firmware } : {}),
  });
}

export function factsRecord(facts: QemuFacts, settings: Settings): RecordedFacts {
  const requested = {
    ...(settings.accel ? { accel: settings.accel } : {}),
    ...(settings.firmware ? { firmware: settings.firmware } : {}),
  };
  return { ...facts, requested };
}
