// Whether a download is in images/ and verified, from its record and a stat — never reading the
// file — for `kubenet list`, `guide` and --dry-run; and what vouched for its SHA256SUMS.
import { existsSync } from 'node:fs';
import { readJson } from '../fs/json-file.js';
import type { Paths } from '../paths.js';
import { roles, trustedRecord, type DownloadRecord } from './records.js';
import type { SignatureRecord } from './verify/signature-policy.js';

export type DownloadState = 'verified' | 'unverified' | 'missing';
export type DownloadStatus =
  | { state: 'verified'; sha256: string; signature: SignatureRecord }
  | { state: 'unverified' | 'missing' };

// `cacheRoot`: the shared cache, whose record vouches for a file it links into several folders.
export function downloadStatus(paths: Paths, file: string, cacheRoot?: string): DownloadStatus {
  const final = paths.artifact(file);
  if (!existsSync(final)) return { state: 'missing' };
  try {
    const record = trustedRecord(
      readJson<DownloadRecord>(paths.downloadRecord(file), { own: roles.record }),
      final,
      cacheRoot,
    );
    if (record) return { state: 'verified', sha256: record.sha256, signature: record.signature };
  } catch {
    // a link where kubenet keeps its download or its record: a run says so; a status just says unverified
  }
  return { state: 'unverified' };
}
