// The shared cache's files, one entry at a time (paths.ts names them): an entry's lock, whether it
// is still the file kubenet verified, putting it at another name, its record, removing it. The
// guarantees of shared-cache.ts rest on these; only the cache itself (shared-cache.ts and its
// listing and pruning, cache-entries.ts) uses them.
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sha256File } from '../../fingerprint/hash-file.js';
import { fileIdentityOfStats, sameFileIdentity, type FileIdentity } from '../../fingerprint/identity.js';
import { readJson, writeJson } from '../../fs/json-file.js';
import { linkOrCopy, type Placed } from '../../fs/link-or-copy.js';
import { ownDir, ownDirExists, ownFileStats, removeOwn } from '../../fs/no-follow.js';
import { acquireLock, LockBusy, type HeldLock, type LockTiming } from '../../lock/file-lock.js';
import { makeCachePaths, type CachePaths } from '../../paths.js';
import type { Validators, Voucher } from '../records.js';
import type { SignatureRecord } from '../verify/signature-policy.js';

export interface EntryRecord {
  sha256: string;
  size: number;
  name: string; // its name in images/: jammy-server-cloudimg-arm64.img
  url: string; // upstream's URL
  sums?: Validators & { source: string }; // the SHA256SUMS that listed it (as shown) and its validators
  vouchedBy: Voucher[]; // every SHA256SUMS that listed its digest
  signature: SignatureRecord; // what vouched for that SHA256SUMS: the key that signed it, or digest only
  identity: FileIdentity; // of the entry when kubenet last verified or linked it
  verifiedAt: number;
  lastUsed: number; // when a folder last linked it or confirmed its copy
}

export interface LockOptions {
  what: string;
  wait: boolean;
  signal?: AbortSignal;
  timing?: Partial<LockTiming>;
}

export const role = 'shared cache entry';
const usedEveryMs = 3_600_000; // lastUsed is rewritten at most hourly: a rerun writes nothing

export class EntryStore {
  readonly paths: CachePaths;
  private readonly held = new Map<string, HeldLock>();

  constructor(
    root: string,
    readonly log: (line: string) => void,
  ) {
    this.paths = makeCachePaths(root);
  }

  // The entry's lock. `wait: false` gives up at once (undefined) when another process holds it.
  async lock(sha256: string, options: LockOptions): Promise<HeldLock | undefined> {
    const path = this.paths.lock(sha256);
    await ownDir(this.paths.root, dirname(path));
    try {
      const held = await acquireLock(path, { ...options, log: this.log });
      this.held.set(sha256, held);
      const release = held.release;
      return { ...held, release: () => (this.held.delete(sha256), release()) };
    } catch (error) {
      if (error instanceof LockBusy && !options.wait) return undefined;
      throw error;
    }
  }

  // This process holds the entry's lock (a download making it, under link()'s lock).
  holds(sha256: string): boolean {
    return this.held.has(sha256);
  }

  // The verified entry for this digest, or undefined. Used unread while it is the file kubenet
  // verified (its recorded identity); else hashed again, and removed when it no longer matches.
  async verified(sha256: string): Promise<(EntryRecord & { path: string }) | undefined> {
    if (!(await this.hasEntries())) return undefined;
    const path = this.paths.entry(sha256);
    const stats = await ownFileStats(path, role);
    if (!stats) return undefined;
    const record = this.record(sha256);
    const unchanged = record?.sha256 === sha256 && sameFileIdentity(fileIdentityOfStats(stats), record.identity);
    if (unchanged) return { ...record, path };
    if ((await sha256File(path)) !== sha256) {
      const others = stats.nlink - 1;
      const names = `${others} other name${others === 1 ? '' : 's'}`;
      const held = others ? `; ${names} of it in images/ folders hold the changed file too` : '';
      const why = 'it no longer matches its digest (changed outside kubenet since it was verified)';
      this.log(`shared cache: removed ${path}: ${why}${held}`);
      await this.remove(sha256);
      return undefined;
    }
    if (!record) return undefined; // whole, but of no known download: prune removes it
    const refreshed = { ...record, identity: fileIdentityOfStats(stats), verifiedAt: Date.now() };
    await this.write(sha256, refreshed);
    return { ...refreshed, path };
  }

  // Puts the entry at `target` (a hard link, else a copy), replacing what is there by a rename.
  // The caller holds the entry's lock and has just found it verified: the new link changes the
  // entry's ctime, so its identity is recorded again — the one every folder linking it trusts.
  async place(sha256: string, target: string): Promise<Placed> {
    const placed = await linkOrCopy(this.paths.entry(sha256), target, { replace: true });
    const stats = await ownFileStats(this.paths.entry(sha256), role);
    const record = this.record(sha256);
    if (!stats || !record) return placed;
    await this.write(sha256, { ...record, identity: fileIdentityOfStats(stats), lastUsed: Date.now() });
    return placed;
  }

  record(sha256: string): EntryRecord | undefined {
    return readJson<EntryRecord>(this.paths.entryRecord(sha256), { own: `${role} record` });
  }

  write(sha256: string, record: EntryRecord): Promise<void> {
    return writeJson(this.paths.entryRecord(sha256), record, { root: this.paths.root });
  }

  // The entry is there (its file); then it counts as used.
  async there(sha256: string): Promise<boolean> {
    if (!(await ownFileStats(this.paths.entry(sha256), role))) return false;
    const record = this.record(sha256);
    const now = Date.now();
    if (record && now - record.lastUsed >= usedEveryMs) await this.write(sha256, { ...record, lastUsed: now });
    return true;
  }

  // Every entry's record, for listing and pruning (and entries without one, as bare digests).
  async records(): Promise<EntryRecord[]> {
    if (!(await this.hasEntries())) return [];
    const names = await readdir(this.paths.entries).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.json'))
      .flatMap((n) => {
        const record = readJson<EntryRecord>(`${this.paths.entries}/${n}`);
        return record ? [record] : [];
      });
  }

  async remove(sha256: string): Promise<void> {
    await removeOwn(this.paths.root, this.paths.entry(sha256));
    await removeOwn(this.paths.root, this.paths.entryRecord(sha256));
  }

  // Whether the folder of entries is there; a link (or a file) in its place is refused, never
  // read, linked from or pruned through.
  hasEntries(): Promise<boolean> {
    return ownDirExists(this.paths.root, this.paths.entries);
  }
}
