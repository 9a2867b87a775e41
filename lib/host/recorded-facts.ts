// The facts 00-qemu recorded in images/qemu.json, when they are there and for this guest arch.
// What to do without them differs by caller (a run fails, --dry-run and explain detect).
import { readFileSync } from 'node:fs';
import type { GuestArch, QemuFacts } from './types.js';

export function readRecordedFacts(path: string, guestArch: GuestArch): QemuFacts | undefined {
  try {
    const recorded = JSON.parse(readFileSync(path, 'utf8')) as QemuFacts;
    return recorded.profile.guestArch === guestArch ? recorded : undefined;
  } catch {
    return undefined; // not recorded yet
  }
}
