// What kubenet remembers about a download, so a rerun neither re-reads a 3 GB file nor re-fetches it.
// The record describes a verified final file; the partial meta describes the data being resumed.
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeJson } from '../fs/json-file.js';
import { ownFileStats, ownFileStatsSync } from '../fs/no-follow.js';
// The same stat identity the task runner trusts.
import { identityOfStats, sameIdentity, type Identity } from '../fingerprint/identity.js';
import type { SignatureRecord } from './verify/signature-policy.js';

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
  signature?: SignatureRecord; // what vouched for SHA256SUMS: the key that signed it, or digest only (none: recorded before kubenet checked)
  verifiedAt: number;
}

export interface PartialMeta {
  url: string;
  sha256: string; // expected digest: a partial of another version is never resumed
  validators: Validators; // of the artifact, sent as If-Range
  total?: number;
}

// What kubenet calls each of its files in a refusal ("… where kubenet keeps its own download").
export const roles = { final: 'download', partial: 'partial download', partialMeta: 'partial download record', record: 'download record' } as const;

// The file still is the one the record verified: same size, mtime and inode.
export function trustedRecord(record: DownloadRecord | undefined, path: string): DownloadRecord | undefined {
  if (!record) return undefined;
  const s = ownFileStatsSync(path, roles.final);
  return s && sameIdentity(identityOfStats(s), record.identity) ? record : undefined;
}

export async function removePartial(partial: string, meta: string): Promise<void> {
  await rm(meta, { force: true });
  await rm(partial, { force: true });
}

// Records `final` as verified now: its digest, where it came from, and the stat identity that
// lets later runs trust it unread.
export async function saveRecord(final: string, recordPath: string, facts: { url: string; sha256: string; sums: Validators; signature?: SignatureRecord }): Promise<DownloadRecord> {
  const s = (await ownFileStats(final, roles.final))!;
  const record: DownloadRecord = {
    url: facts.url, size: s.size, sha256: facts.sha256, identity: identityOfStats(s), sums: facts.sums, ...(facts.signature ? { signature: facts.signature } : {}), verifiedAt: Date.now(),
  };
  await writeJson(recordPath, record, { root: dirname(final) }); // a download sits at the top of images/ (paths.ts)
  return record;
}
