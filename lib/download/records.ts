// What kubenet remembers about a download, so a rerun neither re-reads a 3 GB file nor re-fetches it.
// The record describes a verified final file; the partial meta describes the data being resumed.
import { readFile, rm, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic-write.js';
// The same stat identity the task runner trusts.
import { identityOfStats, sameIdentity, type Identity } from '../fingerprint/identity.js';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface DownloadRecord {
  url: string;
  size: number;
  sha256: string;
  identity: Identity; // of the final file: when it still matches, the file is trusted unread
  sums: Validators; // of SHA256SUMS, for the conditional request on the next run
  verifiedAt: number;
}

export interface PartialMeta {
  url: string;
  sha256: string; // expected digest: a partial of another version is never resumed
  validators: Validators; // of the artifact, sent as If-Range
  total?: number;
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined; // missing or torn: as if there were none
  }
}

export const writeJson = (path: string, value: unknown) => writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);

export async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

// The file still is the one the record verified: same size, mtime and inode.
export async function trustedRecord(record: DownloadRecord | undefined, path: string): Promise<DownloadRecord | undefined> {
  if (!record) return undefined;
  const s = await statOrUndefined(path);
  return s && sameIdentity(identityOfStats(s), record.identity) ? record : undefined;
}

export async function removePartial(partial: string, meta: string): Promise<void> {
  await rm(meta, { force: true });
  await rm(partial, { force: true });
}
