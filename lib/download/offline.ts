// --offline: never the network. A file the record vouches for is used unread; one it does not
// (touched since) is checked locally against the recorded digest. A file kubenet never recorded —
// the learner's own wget — is adopted when the SHA256SUMS beside it in images/ lists its digest.
// A file not in images/ at all comes from the shared cache when it holds one verified against this
// run's own source — the SHA256SUMS it would check (upstream's, or the mirror's) — and no other: an
// entry a test mirror vouched for is not the image upstream publishes. One that is not used is named.
// A SHA256SUMS.gpg beside that SHA256SUMS is verified first (signed-sums.ts); a record or an entry
// checked by digest only is refused where a signature is required.
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { sha256File } from '../fingerprint/hash-file.js';
import { fileIdentityOfStats } from '../fingerprint/identity.js';
import { readJson, writeJson } from '../fs/json-file.js';
import { ownDir, ownFileStats } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { vouchedFor, type SharedCache } from './cache/shared-cache.js';
import { roles, saveRecord, trustedRecord, type DownloadRecord } from './records.js';
import type { FetchResult } from './types.js';
import { isVerified, usableUnchecked } from './verify/signature-policy.js';
import { signedLocalSums, type SignatureCheck } from './verify/signed-sums.js';

export interface OfflineInput {
  url: string; // upstream's
  name: string;
  source: string; // the SHA256SUMS this run would check against, as shown
  paths: Paths;
  cache?: SharedCache;
  signal?: AbortSignal;
  log: (line: string) => void;
  signing: SignatureCheck;
}

export async function offlineResult({
  url,
  name,
  source,
  paths,
  cache,
  signal,
  log,
  signing,
}: OfflineInput): Promise<FetchResult> {
  const final = paths.artifact(name);
  const recordPath = paths.downloadRecord(name);
  const record = readJson<DownloadRecord>(recordPath, { own: roles.record });
  const result = (r: DownloadRecord, status: FetchResult['status'] = 'cached'): FetchResult => ({
    name,
    path: final,
    url,
    size: r.size,
    sha256: r.sha256,
    status,
    transferred: 0,
    signature: r.signature,
  });
  const trusted = trustedRecord(record, final, cache?.paths.root);
  const unchecked = (r: DownloadRecord) => usableUnchecked(r, signing.need, `--offline: ${name} in images/ (${final})`);
  if (trusted) return result(unchecked(trusted));
  const s = await ownFileStats(final, roles.final);
  let unlisted = '';
  let notUsed: string | undefined; // a shared-cache entry another source vouched for
  if (s) {
    const digest = await sha256File(final);
    if (record && digest === record.sha256) {
      const refreshed = { ...record, identity: fileIdentityOfStats(s) };
      await writeJson(recordPath, refreshed, { root: paths.root });
      return result(unchecked(refreshed));
    }
    if (record?.url === url)
      unlisted =
        `: it was changed outside kubenet since it was verified (sha256 now ` +
        `${digest.slice(0, 16)}…, verified ${record.sha256.slice(0, 16)}…)`;
    const beside = await signedLocalSums(paths.root, name, { folder: true }, signing);
    if (beside?.sha256 === digest) {
      log(`${name}: found in images/ and it matches ${beside.from} (sha256 ${digest.slice(0, 16)}…): adopted`);
      return result(
        await saveRecord(final, recordPath, {
          url,
          sha256: digest,
          sums: {},
          vouchedBy: { sums: beside.from, at: Date.now() },
          signature: beside.signature,
          adopted: true,
        }),
        'adopted',
      );
    }
    if (beside?.sha256) {
      throw new KubenetError(
        `--offline: ${final} does not match ${beside.from}: expected ${beside.sha256}, got ${digest}`,
        {
          code: ExitCode.digest,
          hint:
            'Nothing was changed. Put the SHA256SUMS published beside that very image there ' +
            '(upstream publishes a new one with each build), or run online to get the current image.',
        },
      );
    }
    if (beside) unlisted += `; ${beside.from} lists no digest for it`;
  } else if (cache) {
    const latest = await cache
      .latestFor(url, source)
      .then((e) => (e && (!signing.need.required || isVerified(e.signature)) ? e : undefined));
    const other = latest ? undefined : await cache.latestFor(url);
    if (other)
      notUsed =
        `  Not used: the shared cache's ${name} (sha256 ${other.sha256.slice(0, 16)}…), vouched ` +
        `for by ${other.vouchedBy.map((v) => v.sums).join(', ') || 'no SHA256SUMS'}` +
        (vouchedFor(other, source) ? ', by digest only where a signature is required' : `, not by ${source}`) +
        '.';
    const before = () => ownDir(paths.root, paths.root);
    const linking =
      latest &&
      (await cache.link(latest.sha256, final, { what: `linking ${name} into ${paths.root}`, signal, before }));
    try {
      if (linking?.linked) {
        const { placed, entry } = linking.linked;
        log(
          `${name}: from the shared cache (${placed === 'linked' ? 'a hard link' : 'a copy'} ` +
            `of the one verified ${new Date(entry.verifiedAt).toISOString().slice(0, 10)})`,
        );
        return result(
          await saveRecord(final, recordPath, {
            url,
            sha256: entry.sha256,
            sums: {},
            vouchedBy: { sums: source, at: Date.now() },
            signature: entry.signature,
          }),
          'shared',
        );
      }
    } finally {
      await linking?.held.release();
    }
  }
  const why = !s ? 'is not in images/' : `in images/ is not a verified download${unlisted}`;
  const sums = join(paths.root, 'SHA256SUMS');
  throw new KubenetError(`--offline: ${name} ${why} (${final})`, {
    code: ExitCode.offline,
    ...(notUsed ? { details: notUsed } : {}),
    hint: s
      ? `Put the SHA256SUMS published beside it in images/ (${sums}) ` +
        `so kubenet can check it, or run once without --offline.`
      : `Run once without --offline (or kubenet prefetch) to download ${url}; or bring a ` +
        `copy you have: kubenet import FILE (with the SHA256SUMS beside it, or --sums FILE).`,
  });
}
