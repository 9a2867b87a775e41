// What kubenet remembers about a download, so a rerun neither re-reads a 3 GB file nor re-fetches it.
// The record describes a verified final file; the partial meta describes the data being resumed.
import type { Stats } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readJson, writeJson } from '../fs/json-file.js';
import { ownFileStats, ownFileStatsSync } from '../fs/no-follow.js';
import { fileIdentityOfStats, sameFileIdentity, type FileIdentity } from '../fingerprint/identity.js';
import { makeCachePaths } from '../paths.js';
import type { SignatureRecord } from './verify/signature-policy.js';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

// Who vouched for a verified file: the SHA256SUMS that listed its digest — upstream's or a
// mirror's URL, or a file on this machine — as shown, and when. (A signature's key, when one is
// checked, belongs beside it.)
export interface Voucher {
  sums: string;
  at: number;
}

export interface DownloadRecord {
  url: string;
  size: number;
  sha256: string;
  identity: FileIdentity; // of the final file: when it still matches, the file is trusted unread
  sums: Validators; // of SHA256SUMS, for the conditional request on the next run
  vouchedBy: Voucher; // the SHA256SUMS this folder verified it against
  signature: SignatureRecord; // what vouched for SHA256SUMS: the key that signed it, or digest only
  adopted?: boolean; // the learner's own file, found under its name: never linked into the cache
  verifiedAt: number;
}

export interface PartialMeta {
  url: string;
  sha256: string; // expected digest: a partial of another version is never resumed
  validators: Validators; // of the artifact, sent as If-Range
  total?: number;
}

// What kubenet calls each of its files in a refusal ("… where kubenet keeps its own download").
export const roles = {
  final: 'download',
  partial: 'partial download',
  partialMeta: 'partial download record',
  record: 'download record',
} as const;

// The file still is the one the record verified: same size, mtime, ctime and inode — or, for a
// file that is the shared cache's entry (one inode, linked into several folders: each new link
// changes its ctime), the identity the cache recorded under the entry's lock when it last made a
// link. Anything else is not trusted unread.
export function trustedRecord(
  record: DownloadRecord | undefined,
  path: string,
  cacheRoot?: string,
): DownloadRecord | undefined {
  if (!record) return undefined;
  const s = ownFileStatsSync(path, roles.final);
  if (!s) return undefined;
  return sameFileIdentity(fileIdentityOfStats(s), record.identity) ||
    (cacheRoot !== undefined && cacheVouchesFor(cacheRoot, record.sha256, s))
    ? record
    : undefined;
}

// The shared cache's record of this digest describes this very file as it is now.
function cacheVouchesFor(cacheRoot: string, sha256: string, s: Stats): boolean {
  const entry = readJson<{ sha256?: string; identity?: FileIdentity }>(makeCachePaths(cacheRoot).entryRecord(sha256));
  return (
    entry?.sha256 === sha256 && entry.identity !== undefined && sameFileIdentity(fileIdentityOfStats(s), entry.identity)
  );
}

export async function removePartial(partial: string, meta: string): Promise<void> {
  await rm(meta, { force: true });
  await rm(partial, { force: true });
}

// Records `final` as verified now: its digest, where it came from, and the stat identity that
// lets later runs trust it unread.
export async function saveRecord(
  final: string,
  recordPath: string,
  facts: Pick<DownloadRecord, 'url' | 'sha256' | 'sums' | 'vouchedBy' | 'signature' | 'adopted'>,
): Promise<DownloadRecord> {
  const s = (await ownFileStats(final, roles.final))!;
  const record: DownloadRecord = { ...facts, size: s.size, identity: fileIdentityOfStats(s), verifiedAt: Date.now() };
  await writeJson(recordPath, record, { root: dirname(final) }); // a download sits at the top of images/ (paths.ts)
  return record;
}
