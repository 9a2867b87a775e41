// A verified, resumable, cached, locked download of one artifact into images/, in stages:
//   offline   --offline: images/, a SHA256SUMS beside the file, the shared cache, or a clear error
//             (offline.ts); otherwise, under the file's lock (fetch-run.ts):
//   meanwhile another process that held the lock has just verified the file: its result;
//   sums      what SHA256SUMS says now, its signature checked (fetch-sums.ts) — or the copy here
//             stays: upstream unchanged, or out of reach;
//   unchanged the file here is the one it lists: its record is renewed;
//   adopt     a file under its name that no record vouches for and that matches is taken as it is;
//   cache     under the digest's lock in the shared cache: linked from it, or this run makes the
//             entry while other folders wait;
//   transfer  into the partial file, resuming it, verified while streaming (fetch-transfer.ts);
//   seal      renamed over the final name, overlays moved off the old file first;
//   keep      kept in the shared cache, and recorded.
// Nothing is read or written through a link: a link in images/ where kubenet keeps its own file is
// refused.
import { sha256File } from '../fingerprint/hash-file.js';
import { writeJson } from '../fs/json-file.js';
import { offlineResult } from './offline.js';
import { FetchRun, planFetch, type Wanted } from './fetch-run.js';
import { wantedNow, type Given } from './fetch-sums.js';
import { seal, transfer } from './fetch-transfer.js';
import { removePartial } from './records.js';
import { isFolderMirror } from './source-url.js';
import type { Artifact, FetchOptions, FetchResult } from './types.js';

export async function fetchFile(artifact: Artifact, options: FetchOptions, given?: Given): Promise<FetchResult> {
  const plan = planFetch(artifact, options);
  const { upstream, name, paths, cache, signing, log } = plan;
  // A folder mirror is no network: --offline fills images/ from it.
  if (options.offline && !isFolderMirror(plan.sourceUrl)) {
    const { source } = plan;
    return offlineResult({ url: upstream.href, name, source, paths, cache, signal: options.signal, log, signing });
  }
  const run = await FetchRun.start(plan);
  try {
    const meanwhile = run.verifiedMeanwhile();
    if (meanwhile) return run.result('cached', meanwhile);
    const want = await wantedNow(run, given);
    if (!isWanted(want)) return want;
    return (
      (await unchanged(run, want)) ??
      (await adopt(run, want)) ??
      (await fromCache(run, want)) ??
      (await download(run, want))
    );
  } finally {
    await run.release();
  }
}

const isWanted = (got: Wanted | FetchResult): got is Wanted => !('status' in got);

// The file here is the one SHA256SUMS lists: its record takes what vouched for it now.
async function unchanged(run: FetchRun, want: Wanted): Promise<FetchResult | undefined> {
  const { record } = run;
  if (!record || record.sha256 !== want.sha256) return undefined;
  const { paths, name } = run.plan;
  const updated = { ...record, ...want.checked };
  await writeJson(paths.downloadRecord(name), updated, { root: paths.root });
  return run.cached(updated);
}

// A file under its name that no record vouches for (the learner's own wget, or one written since
// it was verified): hashed once, locally, and adopted when it matches — nothing downloaded. It
// stays theirs: the shared cache gets a copy, never a link to it. Otherwise: said what is replaced.
async function adopt(run: FetchRun, want: Wanted): Promise<FetchResult | undefined> {
  const { name, final, log } = run.plan;
  const expected = want.sha256;
  if (!run.record && run.here.exists) {
    const previous = (run.previous ??= await sha256File(final));
    const [now, wanted] = [previous.slice(0, 16), expected.slice(0, 16)];
    if (previous === expected) {
      log(`${name}: found in images/ and it matches SHA256SUMS (sha256 ${wanted}…): adopted, nothing downloaded`);
      const adopted = await run.save(want, true);
      await run.keep(adopted);
      return run.result('adopted', adopted);
    }
    const instead = `(sha256 ${now}…, expected ${wanted}…); getting the current one in its place`;
    log(`${name}: the file in images/ is not the one SHA256SUMS lists ${instead}`);
  } else if (run.previous) {
    log(`${name}: upstream published a new image (sha256 ${expected.slice(0, 16)}…); getting it`);
  }
  return undefined;
}

// One folder downloads, the others wait for it under the digest's lock, then link.
async function fromCache(run: FetchRun, want: Wanted): Promise<FetchResult | undefined> {
  const { cache, paths, name, final, tun, log } = run.plan;
  if (!cache) return undefined;
  const what = `downloading ${name} into the shared cache for ${paths.root}`;
  const linking = await cache.link(want.sha256, final, {
    what,
    signal: run.signal,
    timing: { pollMs: tun.lockPollMs },
    before: () => run.protect(want),
    attempt: run.softly,
  });
  run.cacheLock = linking?.held; // kept while this run makes the entry
  if (!linking?.linked) return undefined;
  await removePartial(paths.partial(name), paths.partialMeta(name)); // of this digest or an older one: no use now
  const linked = linking.linked.placed === 'linked';
  const how = linked ? 'a hard link: no space used' : 'a copy: the cache is on another file system';
  log(`${name}: from the shared cache (${how}), nothing downloaded`);
  const saved = await run.save(want);
  await run.keep(saved); // this run's source vouched for the entry too
  return run.result(run.status(want, 'shared'), saved, run.replaced);
}

// transfer → seal → keep. Into the cache first: the link changes the file's ctime, and the record
// holds the identity after it.
async function download(run: FetchRun, want: Wanted): Promise<FetchResult> {
  const { resumed } = await transfer(run, want);
  await seal(run, want);
  await run.keep({ sha256: want.sha256, ...want.checked });
  const saved = await run.save(want);
  return run.result(run.status(want, resumed ? 'resumed' : 'downloaded'), saved, run.replaced);
}
