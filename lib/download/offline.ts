// --offline: the cache, never the network. A file the record vouches for is used unread; one the
// record does not vouch for (touched since) is checked locally against the recorded digest.
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import type { DownloadRecord } from './records.js';
import { identityOfStats } from '../fingerprint/identity.js';
import { sha256File } from '../fingerprint/hash-file.js';
import { ownFileStats } from '../fs/no-follow.js';
import { readJson, writeJson } from '../fs/json-file.js';
import { roles, trustedRecord } from './records.js';
import type { FetchResult } from './types.js';

export async function offlineResult(url: string, name: string, paths: Paths): Promise<FetchResult> {
  const final = paths.artifact(name);
  const record = readJson<DownloadRecord>(paths.downloadRecord(name), { own: roles.record });
  const result = (r: DownloadRecord): FetchResult => ({ name, path: final, url, size: r.size, sha256: r.sha256, status: 'cached', transferred: 0 });
  const trusted = trustedRecord(record, final);
  if (trusted) return result(trusted);
  const s = await ownFileStats(final, roles.final);
  if (record && s && (await sha256File(final)) === record.sha256) {
    const refreshed = { ...record, identity: identityOfStats(s) };
    await writeJson(paths.downloadRecord(name), refreshed);
    return result(refreshed);
  }
  const why = !s ? 'is not in the cache' : 'in the cache is not a verified download';
  throw new KubenetError(`--offline: ${name} ${why} (${final})`, {
    code: ExitCode.offline,
    hint: `Run once without --offline (or \`kubenet prefetch\`) to download ${url}, or copy a cache of images/ from a machine that has it.`,
  });
}
