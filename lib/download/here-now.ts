// What images/ holds under a download's name, before the network is asked anything. A file whose
// record still vouches for it (its identity, or the shared cache's for the same inode) is trusted
// unread. One kubenet recorded whose identity changed is hashed once: unchanged bytes (a new link,
// a touch) only renew the record; other bytes were written outside kubenet, which is said, and the
// file is never again called verified. A file kubenet never recorded (the learner's own) is left
// for the caller to hash when SHA256SUMS is known.
import { sha256File } from '../fingerprint/hash-file.js';
import { fileIdentityOfStats } from '../fingerprint/identity.js';
import { readJson, writeJson } from '../fs/json-file.js';
import { ownFileStats } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { roles, trustedRecord, type DownloadRecord } from './records.js';

export interface HereNow {
  exists: boolean;
  record?: DownloadRecord; // it is the file this record verified
  changed?: { was: string; now: string }; // kubenet verified it as `was`; its bytes hash to `now`
}

export async function whatIsHere(
  paths: Paths,
  name: string,
  { cacheRoot, log }: { cacheRoot?: string; log: (line: string) => void },
): Promise<HereNow> {
  const final = paths.artifact(name);
  const recordPath = paths.downloadRecord(name);
  const raw = readJson<DownloadRecord>(recordPath, { own: roles.record });
  const stats = await ownFileStats(final, roles.final);
  if (!stats) return { exists: false };
  const trusted = trustedRecord(raw, final, cacheRoot);
  if (trusted || !raw) return { exists: true, ...(trusted ? { record: trusted } : {}) };
  const now = await sha256File(final);
  if (now === raw.sha256) {
    const renewed = { ...raw, identity: fileIdentityOfStats(stats) };
    await writeJson(recordPath, renewed, { root: paths.root });
    return { exists: true, record: renewed };
  }
  log(
    `${name} in images/ was changed outside kubenet since it was verified (sha256 now ` +
      `${now.slice(0, 16)}…, verified ${raw.sha256.slice(0, 16)}…): it is not used as verified`,
  );
  return { exists: true, changed: { was: raw.sha256, now } };
}
