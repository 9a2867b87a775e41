// What the shared cache holds, and pruning it (SharedCache's entries() and prune(): `kubenet cache`,
// `kubenet cache prune`). An entry that any other name still links — an images/ folder, a pin under
// images/base/ — is never removed: its link count says so, as `ls -l` shows it. Each removal
// happens under the entry's lock, so a folder linking it at that moment keeps it.
import { lstat, readdir } from 'node:fs/promises';
import { removeOwn } from '../../fs/no-follow.js';
import { join } from 'node:path';
import { sweepTemps, tempTarget } from '../../fs/temp-names.js';
import type { EntryRecord, EntryStore } from './entry-store.js';

export interface CacheEntry {
  sha256: string;
  path: string;
  size: number;
  links: number; // other names of the same file: images/ folders, pins
  name?: string; // its name in images/, when kubenet recorded it
  url?: string;
  lastUsed: number; // ms; the file's mtime when there is no record
}

const digestName = /^[0-9a-f]{64}$/;

export async function listEntries(store: EntryStore): Promise<CacheEntry[]> {
  if (!(await store.hasEntries())) return [];
  const names = await readdir(store.paths.entries).catch(() => [] as string[]);
  const records = new Map((await store.records()).map((r) => [r.sha256, r] as const));
  const entries: CacheEntry[] = [];
  for (const sha256 of names.filter((n) => digestName.test(n))) {
    const path = store.paths.entry(sha256);
    const stats = await lstat(path).catch(() => undefined);
    if (!stats?.isFile()) continue;
    const record: EntryRecord | undefined = records.get(sha256);
    entries.push({
      sha256,
      path,
      size: stats.size,
      links: stats.nlink - 1,
      lastUsed: record?.lastUsed ?? stats.mtimeMs,
      ...(record ? { name: record.name, url: record.url } : {}),
    });
  }
  return entries.sort((a, b) => b.lastUsed - a.lastUsed);
}

export interface PruneOutcome {
  entry: CacheEntry;
  removed: boolean;
  why: string; // why it was kept, or what it was
}

export interface PruneOptions {
  olderThanDays: number;
  all: boolean;
  now?: number;
}

// Removes those of `entries` nothing else links that were not used for `olderThanDays` (all of
// them with `all`); says for every entry what happened and why.
export async function pruneEntries(
  store: EntryStore,
  entries: CacheEntry[],
  options: PruneOptions,
): Promise<PruneOutcome[]> {
  const { olderThanDays, all, now = Date.now() } = options;
  const outcomes: PruneOutcome[] = [];
  for (const entry of entries) {
    const age = ageInDays(entry.lastUsed, now);
    if (entry.links > 0) {
      outcomes.push({
        entry,
        removed: false,
        why: `linked by ${entry.links} other name${entry.links === 1 ? '' : 's'} (an images/ folder or a pinned base)`,
      });
      continue;
    }
    if (!all && age < olderThanDays) {
      outcomes.push({ entry, removed: false, why: `used ${describeAge(age)}, less than ${olderThanDays} days ago` });
      continue;
    }
    const lock = await store.lock(entry.sha256, { what: 'pruning the shared cache', wait: false });
    if (!lock) {
      outcomes.push({ entry, removed: false, why: 'another kubenet is using it now' });
      continue;
    }
    try {
      const links = ((await lstat(entry.path).catch(() => undefined))?.nlink ?? 1) - 1;
      if (links > 0) {
        outcomes.push({
          entry,
          removed: false,
          why: `linked by ${links} other name${links === 1 ? '' : 's'} just now`,
        });
        continue;
      }
      await store.remove(entry.sha256);
      outcomes.push({ entry, removed: true, why: `not linked by any folder; used ${describeAge(age)}` });
    } finally {
      await lock.release();
    }
  }
  await sweepLeftovers(store);
  return outcomes;
}

// Records whose file is gone, and temp files of runs that were killed.
async function sweepLeftovers(store: EntryStore): Promise<void> {
  const names = await readdir(store.paths.entries).catch(() => [] as string[]);
  const tempsOf = new Set<string>();
  for (const name of names) {
    const record = /^([0-9a-f]{64})\.json$/.exec(name);
    // its file was removed
    if (record && !names.includes(record[1]!)) await removeOwn(store.paths.root, join(store.paths.entries, name));
    const target = tempTarget(name);
    if (target) tempsOf.add(target);
  }
  for (const target of tempsOf) await sweepTemps(join(store.paths.entries, target));
}

const ageInDays = (ms: number, now: number) => Math.max(0, (now - ms) / 86_400_000);

export const describeAge = (days: number): string =>
  days < 1 ? 'today' : days < 2 ? '1 day ago' : `${Math.floor(days)} days ago`;
