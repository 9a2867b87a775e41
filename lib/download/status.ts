// Whether a download is in images/ and verified, from its record and a stat — never reading the
// file — for `kubenet list`, `guide` and --dry-run.
import { readFileSync, statSync } from 'node:fs';
import type { Paths } from '../paths.js';
import { identityOfStats, sameIdentity } from '../fingerprint/identity.js';
import type { DownloadRecord } from './records.js';

export type DownloadState = 'verified' | 'unverified' | 'missing';

export function downloadStatus(paths: Paths, file: string): { state: DownloadState; sha256?: string } {
  let stats;
  try {
    stats = statSync(paths.artifact(file));
  } catch {
    return { state: 'missing' };
  }
  try {
    const record = JSON.parse(readFileSync(paths.downloadRecord(file), 'utf8')) as DownloadRecord;
    if (sameIdentity(identityOfStats(stats), record.identity)) return { state: 'verified', sha256: record.sha256 };
  } catch {
    // no record: a file kubenet did not verify
  }
  return { state: 'unverified' };
}
