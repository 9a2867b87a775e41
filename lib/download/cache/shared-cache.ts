// The shared download cache, as Lima, Packer and quickemu keep one: every verified download once,
// named by its SHA-256 (paths.ts names its files), hard-linked into each images/ folder that uses
// it (a copy where a folder is on another file system). Safe for several folders at once: an
// entry is made, linked and pruned under its own lock (lib/lock). Never trusted blindly: an entry
// is used unread only while it is still the file kubenet verified (size, mtime, ctime and inode,
// recorded again under its lock each time kubenet links it), else it is hashed again first, and one
// that no longer matches its digest is removed. Never a learner's own file: what is not kubenet's
// download (an adopted or imported-in-place file) goes in as a copy, never a link to their inode.
// Never written into: a new version is a new entry, and images/ replaces a download by a rename,
// so an overlay backed by a linked image keeps reading exactly what it was made on. Trusted only
// for the source that vouched for it: each entry records which SHA256SUMS listed its digest
// (upstream's, a mirror's, or a file on this machine), and a run that cannot check its own source
// takes only an entry that same source vouched for (see offline.ts).
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

// What a caller knows of a file it puts in the cache: `voucher` is the SHA256SUMS that listed it;
// `theirs`: the file is the learner's, not kubenet's download — the cache gets a copy.
export type EntryFacts = Pick<EntryRecord, 'sha256' | 'name' | 'url' | 'signature'> & { sums?: EntryRecord['sums']; voucher: string; theirs?: boolean };

// Whether `source` (a SHA256SUMS, as shown) vouched for the entry.
export const vouchedFor = (record: EntryRecord, source: string): boolean => record.vouchedBy.some((v) => v.sums === source);

const role = 'shared cache entry';
const usedEveryMs = 3_600_000; // lastUsed is rewritten at most hourly: a rerun writes nothing

export class SharedCache {
  readonly paths: CachePaths;
  private readonly held = new Map<string, HeldLock>();

  constructor(root: string, private readonly log: (line: string) => void = () => undefined) {
    this.paths = makeCachePaths(root);
  }

  // The entry's lock, for the caller to hold while it makes or links the entry. `wait: false`
  // gives up at once (undefined) when another process holds it.
  async lock(sha256: string, options: { what: string; wait: boolean; signal?: AbortSignal; timing?: Partial<LockTiming> }): Promise<HeldLock | undefined> {
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

  // The verified entry for this digest, or undefined: see the top for when it is hashed again.
  async find(sha256: string): Promise<(EntryRecord & { path: string }) | undefined> {
    if (!(await this.hasEntries())) return undefined;
    const path = this.paths.entry(sha256);
    const stats = await ownFileStats(path, role);
    if (!stats) return undefined;
    const record = readJson<EntryRecord>(this.paths.entryRecord(sha256), { own: `${role} record` });
    if (record?.sha256 === sha256 && sameFileIdentity(fileIdentityOfStats(stats), record.identity)) return { ...record, path };
    if ((await sha256File(path)) !== sha256) {
      const others = stats.nlink - 1;
      this.log(`shared cache: removed ${path}: it no longer matches its digest (changed outside kubenet since it was verified)${others ? `; ${others} other name${others === 1 ? '' : 's'} of it in images/ folders hold the changed file too` : ''}`);
      await this.remove(sha256);
      return undefined;
    }
    if (!record) return undefined; // whole, but of no known download: prune removes it
    const refreshed = { ...record, identity: fileIdentityOfStats(stats), verifiedAt: Date.now() };
    await writeJson(this.paths.entryRecord(sha256), refreshed, { root: this.paths.root });
    return { ...refreshed, path };
  }

  // The newest entry kubenet verified for this upstream URL — only among those `source` (a
  // SHA256SUMS, as shown) vouched for, when given — unchecked (find() checks it).
  async latestFor(url: string, source?: string): Promise<EntryRecord | undefined> {
    const records = (await this.records()).filter((r) => r.url === url && (source === undefined || vouchedFor(r, source)));
    return records.sort((a, b) => b.verifiedAt - a.verifiedAt)[0];
  }

  // Puts a verified file into the cache (a hard link to it, else a copy) unless the entry is
  // there already; then it counts as used. Takes the entry's lock unless the caller holds it,
  // and leaves the work to another process that holds it.
  async keep(file: string, facts: EntryFacts): Promise<Placed | undefined> {
    const path = this.paths.entry(facts.sha256);
    const { voucher, theirs, ...known } = facts;
    const there = async () => {
      if (!(await ownFileStats(path, role))) return false;
      await this.used(facts.sha256);
      return true;
    };
    // The common case, a rerun: no lock, no write. A new voucher for an entry is written down.
    if ((await there()) && !(await this.lacksVoucher(facts.sha256, voucher))) return 'exists';
    const own = this.held.has(facts.sha256) ? undefined : await this.lock(facts.sha256, { what: `keeping ${facts.name} in the shared cache`, wait: false });
    if (!own && !this.held.has(facts.sha256)) return undefined;
    try {
      if (await there()) {
        if (await this.lacksVoucher(facts.sha256, voucher)) {
          const record = readJson<EntryRecord>(this.paths.entryRecord(facts.sha256), { own: `${role} record` })!;
          await writeJson(this.paths.entryRecord(facts.sha256), { ...record, vouchedBy: [...record.vouchedBy, { sums: voucher, at: Date.now() }] }, { root: this.paths.root });
        }
        return 'exists';
      }
      await ownDir(this.paths.root, this.paths.entries);
      const placed = await linkOrCopy(file, path, { replace: false, copy: theirs === true });
      if (placed === 'copied') this.log(`${facts.name}: copied into the shared cache ${this.paths.root} (${theirs ? 'your own file is never linked' : 'another file system than images/'})`);
      const stats = (await ownFileStats(path, role))!;
      const now = Date.now();
      await writeJson(this.paths.entryRecord(facts.sha256), { ...known, vouchedBy: [{ sums: voucher, at: now }], size: stats.size, identity: fileIdentityOfStats(stats), verifiedAt: now, lastUsed: now } satisfies EntryRecord, { root: this.paths.root });
      return placed;
    } finally {
      await own?.release();
    }
  }

  // The entry has a record, and `voucher` is not among those who vouched for it.
  private async lacksVoucher(sha256: string, voucher: string): Promise<boolean> {
    const record = readJson<EntryRecord>(this.paths.entryRecord(sha256), { own: `${role} record` });
    return record !== undefined && !vouchedFor(record, voucher);
  }

  // Puts the entry at `target` (a hard link, else a copy), replacing what is there by a rename.
  // The caller holds the entry's lock and has just found it verified (find): the new link changes
  // the entry's ctime, so its identity is recorded again — the one every folder linking it trusts.
  async placeInto(sha256: string, target: string): Promise<Placed> {
    const placed = await linkOrCopy(this.paths.entry(sha256), target, { replace: true });
    const stats = await ownFileStats(this.paths.entry(sha256), role);
    const record = readJson<EntryRecord>(this.paths.entryRecord(sha256), { own: `${role} record` });
    if (stats && record) await writeJson(this.paths.entryRecord(sha256), { ...record, identity: fileIdentityOfStats(stats), lastUsed: Date.now() }, { root: this.paths.root });
    return placed;
  }

  // Every entry's record, for listing and pruning (and entries without one, as bare digests).
  async records(): Promise<EntryRecord[]> {
    if (!(await this.hasEntries())) return [];
    const names = await readdir(this.paths.entries).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).flatMap((n) => {
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

  private async used(sha256: string): Promise<void> {
    const record = readJson<EntryRecord>(this.paths.entryRecord(sha256), { own: `${role} record` });
    if (!record || Date.now() - record.lastUsed < usedEveryMs) return;
    await writeJson(this.paths.entryRecord(sha256), { ...record, lastUsed: Date.now() }, { root: this.paths.root });
  }

}
