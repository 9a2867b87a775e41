// fetchFile's sums stage: what SHA256SUMS says the file must hash to now. A conditional GET of it
// (conditional only where the record's signature check still vouches — or, for a folder new to the
// file, the shared cache entry's), its signature verified when it is new (verify/signed-sums.ts).
// With a verified copy here, upstream gets one short chance, then the copy is used with a warning,
// unless a signature is required and none vouched for it.
import type { EntryRecord } from './cache/shared-cache.js';
import { explainingFailure } from './explain-failure.js';
import type { FetchRun, Wanted } from './fetch-run.js';
import type { DownloadRecord, Validators } from './records.js';
import { withRetries } from './transfer/retry.js';
import type { FetchResult } from './types.js';
import { checkOnce, checkSums, type SumsCheck } from './verify/check-upstream.js';
import { stillVouches, usableUnchecked } from './verify/signature-policy.js';

// What the caller already read of SHA256SUMS for this very file (find-elsewhere.ts), or
// 'unchecked': it could not be read, and the caller has said so — a verified copy is used.
export type Given = SumsCheck | 'unchecked';

// The digest wanted now, or the copy here when it stays (unchanged upstream, or out of reach).
export async function wantedNow(run: FetchRun, given: Given | undefined): Promise<Wanted | FetchResult> {
  const { record } = run;
  const { name, signing } = run.plan;
  const { known, hint, hinted } = await validatorsToSend(run);
  const what = `${name}: upstream could not be checked, and the copy in images/`;
  const unchecked = (r: DownloadRecord) => usableUnchecked(r, signing.need, what);
  if (given === 'unchecked' && record) return run.cached(unchecked(record));
  let sums: SumsCheck | undefined;
  if (given && given !== 'unchecked' && !(given.notModified && !record)) {
    sums = given;
  } else if (record) {
    const { sumsUrl, request, tun, log } = run.plan;
    const once = { signal: run.signal, checkMs: tun.checkMs, log, signature: signing };
    sums = await checkOnce(sumsUrl, name, known, request, once);
    if (!sums) return run.cached(unchecked(record));
  } else {
    sums = await checkWithRetries(run, known ?? hinted);
  }
  if (sums.notModified && record) return run.cached(record);
  // Unchanged since the cache's entry was verified.
  if (sums.notModified) return { sha256: hint!.sha256, checked: { sums: hinted!, signature: hint!.signature } };
  return { sha256: sums.sha256, checked: { sums: sums.validators, signature: sums.signature } };
}

// What this folder knows of SHA256SUMS, else what the cache knows (for a conditional request) —
// only where what vouched for it then still does: else SHA256SUMS is fetched and verified anew.
type ToSend = { known?: Validators; hint?: EntryRecord; hinted?: Validators };
async function validatorsToSend(run: FetchRun): Promise<ToSend> {
  const { record } = run;
  const { upstream, signing, cache, source } = run.plan;
  const ours = record?.url === upstream.href && stillVouches(record.signature, signing.need);
  const known = ours ? record.sums : undefined;
  const hint = record ? undefined : await run.softly('read it', async () => cache?.latestFor(upstream.href, source));
  const cached = hint?.sums?.source === source && stillVouches(hint.signature, signing.need);
  const hinted = cached ? validatorsIn(hint.sums!) : undefined;
  return { ...(known ? { known } : {}), ...(hint ? { hint } : {}), ...(hinted ? { hinted } : {}) };
}

// No copy here to fall back on: SHA256SUMS with the download's retries and their bounds.
function checkWithRetries(run: FetchRun, known: Validators | undefined): Promise<SumsCheck> {
  const { sumsUrl, name, request, signing } = run.plan;
  const check = (signal: AbortSignal) => checkSums(sumsUrl, name, known, { ...request, signal, signature: signing });
  return explainingFailure(run.failing(sumsUrl), () => withRetries(check, { ...run.retry, what: 'SHA256SUMS' }));
}

const validatorsIn = ({ etag, lastModified }: NonNullable<EntryRecord['sums']>): Validators => ({
  ...(etag ? { etag } : {}),
  ...(lastModified ? { lastModified } : {}),
});
