// kubenet makes every file under a temporary name beside it and renames (or links) it into
// place, so a kill leaves either the old state or the new, plus at worst a temp file. Temp names
// are unpredictable (nothing can be planted there in advance) and say whose they are, so a later
// run can sweep up what a killed one left — only kubenet's own, only when their process is gone.
import { randomBytes } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../process/pid-state.js';

// `.NAME.PID-RAND.tmp`: starts with '.' and ends in '.tmp', so globs for real names never pick it up.
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

const tempName = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.tmp$/;

// Whether a file name is one of kubenet's temp names (of any file).
export const isTempName = (name: string): boolean => tempName.test(name);

// The name a temp file was made for (`.NAME.PID-RAND.tmp` → NAME), or undefined.
export const tempTarget = (name: string): string | undefined => tempName.exec(name)?.[1];

// A pid on another host sharing images/ (containers) says nothing here, so a temp file must also
// be older than this before its owner counts as gone.
const minimumAgeMs = 60_000;

// Removes the temp files and folders of `path` that killed runs left beside it; returns their names.
export async function sweepTemps(path: string, now = Date.now()): Promise<string[]> {
  const dir = dirname(path);
  const entries = await readdir(dir).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const entry of entries) {
    const m = tempName.exec(entry);
    if (!m || m[1] !== basename(path)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    const at = join(dir, entry);
    const stats = await lstat(at).catch(() => undefined);
    if (!stats || now - stats.mtimeMs < minimumAgeMs) continue;
    // rm removes a link itself, never what it points to; a temp folder holds only kubenet's files.
    await rm(at, { recursive: true, force: true }).catch(() => undefined);
    swept.push(entry);
  }
  return swept;
}
