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
// Three verbs: link (find-or-link, under the entry's lock), keep (a verified file in), prune
// (what no folder links); and what it holds: entries(), records(), latestFor().
import type { Placed } from '../../fs/link-or-copy.js';
import { linkOrCopy } from '../../fs/link-or-copy.js';
import { fileIdentityOfStats } from '../../fingerprint/identity.js';
import { ownDir, ownFileStats } from '../../fs/no-follow.js';
import type { HeldLock, LockTiming } from '../../lock/file-lock.js';
import type { CachePaths } from '../../paths.js';
import type { SignatureRecord } from '../verify/signature-policy.js';
import { listEntries, pruneEntries, type CacheEntry, type PruneOptions, type PruneOutcome } from './cache-entries.js';
import { EntryStore, role, type EntryRecord } from './entry-store.js';

export type { EntryRecord } from './entry-store.js';

// What a caller knows of a file it puts in the cache: `voucher` is the SHA256SUMS that listed it;
// `theirs`: the file is the learner's, not kubenet's download — the cache gets a copy.
export type EntryFacts = Pick<EntryRecord, 'sha256' | 'name' | 'url'> & {
  sums?: EntryRecord['sums'];
  signature: SignatureRecord;
  voucher: string;
  theirs?: boolean;
};

// How link() takes each of its steps: strictly (a failure is the caller's error), or softly — a
// download goes on without the cache, said (fetch-run.ts).
export type Attempt = <T>(what: string, run: () => Promise<T>) => Promise<T | undefined>;
const strictly: Attempt = (_what, run) => run();

export interface LinkOptions {
  what: string; // for a process that waits on the entry's lock: downloading x into the shared cache for …
  signal?: AbortSignal;
  timing?: Partial<LockTiming>;
  before?: () => Promise<void>; // once the entry is known to be there, before it is put at the target
  attempt?: Attempt;
}

// The entry's lock, held by the caller until it has recorded what was linked — or, on a miss
// (no `linked`), made the entry itself (keep()) — so that other folders wait for it.
export interface Linking {
  held: HeldLock;
  linked?: { placed: Placed; entry: EntryRecord };
}

// Whether `source` (a SHA256SUMS, as shown) vouched for the entry.
export const vouchedFor = (record: EntryRecord, source: string): boolean =>
  record.vouchedBy.some((v) => v.sums === source);

export class SharedCache {
  private readonly store: EntryStore;

  constructor(root: string, log: (line: string) => void = () => undefined) {
    this.store = new EntryStore(root, log);
  }

  get paths(): CachePaths {
    return this.store.paths;
  }

  // Find-or-link: under the entry's lock (waiting for a folder that is making it), the verified
  // entry for `sha256` put at `target` — a hard link, else a copy, replacing what is there by a
  // rename. Undefined when the lock could not be had.
  async link(sha256: string, target: string, how: LinkOptions): Promise<Linking | undefined> {
    const attempt = how.attempt ?? strictly;
    const { what, signal, timing } = how;
    const held = await attempt('lock it', () => this.store.lock(sha256, { what, wait: true, signal, timing }));
    if (!held) return undefined;
    try {
      const entry = await attempt('read it', () => this.store.verified(sha256));
      if (!entry) return { held };
      await how.before?.();
      const placed = await attempt('link from it', () => this.store.place(sha256, target));
      return placed ? { held, linked: { placed, entry } } : { held };
    } catch (error) {
      await held.release();
      throw error;
    }
  }

  // Puts a verified file into the cache (a hard link to it, else a copy) unless the entry is
  // there already; then it counts as used. Takes the entry's lock unless the caller holds it,
  // and leaves the work to another process that holds it.
  async keep(file: string, facts: EntryFacts): Promise<Placed | undefined> {
    const { store } = this;
    // The common case, a rerun: no lock, no write. A new voucher for an entry is written down.
    if ((await store.there(facts.sha256)) && !this.lacksVoucher(facts.sha256, facts.voucher)) return 'exists';
    const what = `keeping ${facts.name} in the shared cache`;
    const own = store.holds(facts.sha256) ? undefined : await store.lock(facts.sha256, { what, wait: false });
    if (!own && !store.holds(facts.sha256)) return undefined;
    try {
      if (await store.there(facts.sha256)) {
        const record = store.record(facts.sha256);
        if (record && !vouchedFor(record, facts.voucher)) {
          const vouchedBy = [...record.vouchedBy, { sums: facts.voucher, at: Date.now() }];
          await store.write(facts.sha256, { ...record, vouchedBy });
        }
        return 'exists';
      }
      return await this.putIn(file, facts);
    } finally {
      await own?.release();
    }
  }

  // Removes what no folder links and was not used for a while (cache-entries.ts).
  async prune(options: PruneOptions): Promise<PruneOutcome[]> {
    return pruneEntries(this.store, await this.entries(), options);
  }

  entries(): Promise<CacheEntry[]> {
    return listEntries(this.store);
  }

  // Every entry's record (and entries without one, as bare digests).
  records(): Promise<EntryRecord[]> {
    return this.store.records();
  }

  // The newest entry kubenet verified for this upstream URL — only among those `source` (a
  // SHA256SUMS, as shown) vouched for, when given — unchecked (link() checks it).
  async latestFor(url: string, source?: string): Promise<EntryRecord | undefined> {
    const wanted = (r: EntryRecord) => r.url === url && (source === undefined || vouchedFor(r, source));
    const records = (await this.store.records()).filter(wanted);
    return records.sort((a, b) => b.verifiedAt - a.verifiedAt)[0];
  }

  // The entry has a record, and `voucher` is not among those who vouched for it.
  private lacksVoucher(sha256: string, voucher: string): boolean {
    const record = this.store.record(sha256);
    return record !== undefined && !vouchedFor(record, voucher);
  }

  // A new entry: the file linked (or copied) in, and its record.
  private async putIn(file: string, facts: EntryFacts): Promise<Placed> {
    const { voucher, theirs, ...known } = facts;
    const { paths, log } = this.store;
    await ownDir(paths.root, paths.entries);
    const placed = await linkOrCopy(file, paths.entry(facts.sha256), { replace: false, copy: theirs === true });
    const why = theirs ? 'your own file is never linked' : 'another file system than images/';
    if (placed === 'copied') log(`${facts.name}: copied into the shared cache ${paths.root} (${why})`);
    const stats = (await ownFileStats(paths.entry(facts.sha256), role))!;
    const now = Date.now();
    const record: EntryRecord = {
      ...known,
      vouchedBy: [{ sums: voucher, at: now }],
      size: stats.size,
      identity: fileIdentityOfStats(stats),
      verifiedAt: now,
      lastUsed: now,
    };
    await this.store.write(facts.sha256, record);
    return placed;
  }
}
