// A download whose file name is found, not fixed. The guide's URL is asked first (in case it comes
// back); then each directory upstream publishes such files in, in order. The first whose
// SHA256SUMS lists a file of the right shape wins — the newest version when it lists several. That
// file then goes through fetchFile like any other (records, resume, shared cache, overlays), and
// its name is what images/ and the commands use. A new point release upstream is found as any
// change is, and takes the old file's place. With a verified copy here, each place gets one short
// try; when none can be asked, the copy is used, said once.
import { readdirSync } from 'node:fs';
import { protectBackingFile } from '../disk/protect-backing.js';
import { ExitCode, KubenetError, isKubenetError } from '../errors.js';
import { readJson } from '../fs/json-file.js';
import { removeOwn } from '../fs/no-follow.js';
import { acquireLock } from '../lock/file-lock.js';
import { SharedCache } from './cache/shared-cache.js';
import { explainingFailure } from './explain-failure.js';
import { fetchFile } from './fetch-file.js';
import type { RequestOptions } from './http/client.js';
import { proxyEnv } from './http/proxy-env.js';
import { TransferError } from './http/transfer-error.js';
import { roles, trustedRecord, type DownloadRecord } from './records.js';
import { fileNameOf, isFolderMirror, shownUrl, upstreamUrl, viaMirror } from './source-url.js';
import { withRetries } from './transfer/retry.js';
import { foundBefore, newest, placesOf, type Earlier, type Place } from './found-before.js';
import { tunables, type Artifact, type FetchOptions, type FetchResult } from './types.js';
import { fetchSums, type SumsListing } from './verify/check-upstream.js';
import { digestOf } from './verify/sha256sums.js';
import { signatureNeed, stillVouches } from './verify/signature-policy.js';
import type { SignatureCheck } from './verify/signed-sums.js';

export async function fetchFound(artifact: Artifact, options: FetchOptions): Promise<FetchResult> {
  const places = placesOf(artifact);
  const guide = upstreamUrl(artifact.url);
  const log = options.log ?? (() => undefined);
  const earlier = foundBefore(options.paths, places, options.cache);
  if (options.offline && !isFolderMirror(viaMirror(guide, options.mirror)))
    return foundOffline(artifact, options, places, earlier);

  const tun = tunables(options);
  const request: RequestOptions = {
    headMs: tun.headMs,
    stallMs: tun.stallMs,
    minBytesPerSecond: tun.minBytesPerSecond,
    proxies: proxyEnv(options.env ?? process.env),
  };
  const short = earlier?.trusted === true; // a verified copy here: one short try per place
  const tried: string[] = [];
  let unreachable: KubenetError | undefined;
  for (const place of places) {
    const sumsUrl = viaMirror(new URL('SHA256SUMS', place.dir), options.mirror);
    const signature: SignatureCheck = {
      need: signatureNeed(place.dir, options),
      file: artifact.title ?? fileNameOf(guide),
      ...(options.log ? { log: options.log } : {}),
    };
    const known =
      earlier?.trusted && earlier.place === place && stillVouches(earlier.record.signature, signature.need)
        ? earlier.record.sums
        : undefined;
    let sums: SumsListing;
    try {
      sums = await askPlace(sumsUrl, known, { request: { ...request, signature }, short, tun, options });
    } catch (error) {
      if (!isKubenetError(error) || error.code !== ExitCode.download) throw error;
      const status = error.cause instanceof TransferError ? error.cause.status : undefined;
      tried.push(`${shownUrl(sumsUrl)}: ${status ? `HTTP ${status}` : error.message}`);
      if (status === undefined) unreachable ??= error;
      continue;
    }
    if (sums.notModified)
      return withFound(await fetchFile({ ...artifact, url: earlier!.url }, options, sums), place, artifact, log);
    const name = newest(place, sums.listing);
    if (!name) {
      tried.push(`${shownUrl(sumsUrl)}: lists no ${place.shown}`);
      continue;
    }
    const sha256 = digestOf(sums.listing, name, shownUrl(sumsUrl))!;
    const result = await fetchFile({ ...artifact, url: new URL(name, place.dir).href }, options, {
      notModified: false,
      sha256,
      validators: sums.validators,
      signature: sums.signature,
    });
    return withFound(await retire(earlier, result, options), place, artifact, log);
  }
  if (unreachable && earlier?.trusted) {
    log(`${earlier.name}: could not check upstream (${unreachable.message}); using the verified copy in images/`);
    return withFound(
      await fetchFile({ ...artifact, url: earlier.url }, options, 'unchecked'),
      earlier.place,
      artifact,
      log,
    );
  }
  if (unreachable) throw unreachable;
  throw gone(artifact, guide, tried);
}

// One place's SHA256SUMS: with retries, or — a verified copy being here — one try of checkMs.
async function askPlace(
  sumsUrl: URL,
  known: DownloadRecord['sums'] | undefined,
  {
    request,
    short,
    tun,
    options,
  }: {
    request: RequestOptions & { signature: SignatureCheck };
    short: boolean;
    tun: ReturnType<typeof tunables>;
    options: FetchOptions;
  },
): Promise<SumsListing> {
  const context = {
    url: sumsUrl,
    file: 'SHA256SUMS',
    ...(options.mirror ? { mirror: options.mirror } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (!short) {
    const retry = {
      retries: tun.retries,
      backoffMs: tun.backoffMs,
      maxAttempts: tun.maxAttempts,
      maxMs: tun.maxMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.log ? { log: options.log } : {}),
      what: 'SHA256SUMS',
    };
    return explainingFailure(context, () =>
      withRetries((signal) => fetchSums(sumsUrl, known, { ...request, signal }), retry),
    );
  }
  const timeUp = AbortSignal.timeout(tun.checkMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeUp]) : timeUp;
  return explainingFailure(context, () => fetchSums(sumsUrl, known, { ...request, signal })).catch((error: unknown) => {
    if (!timeUp.aborted || options.signal?.aborted) throw error;
    throw new KubenetError(`no answer from ${shownUrl(sumsUrl)} within ${tun.checkMs / 1000} s`, {
      code: ExitCode.download,
      cause: error,
    });
  });
}

// The file found is not the guide's: said once, with why, as the other host differences are.
function withFound(result: FetchResult, place: Place, artifact: Artifact, log: (line: string) => void): FetchResult {
  const guide = fileNameOf(upstreamUrl(artifact.url));
  if (place.guide || result.name === guide) return result;
  log(
    `${artifact.moved ? `${artifact.moved.why}: ` : ''}the guide's ${guide} is gone, so kubenet ` +
      `uses ${result.name} from ${place.dir.href} instead${place.why ? `; ${place.why}` : ''}`,
  );
  return { ...result, found: { guide, from: place.dir.href, ...(place.why ? { why: place.why } : {}) } };
}

// A newer file under another name takes the place of the one found before, as an update does:
// overlays backed by it are moved onto a pinned copy first, then it leaves images/ (the shared
// cache keeps it).
async function retire(earlier: Earlier | undefined, result: FetchResult, options: FetchOptions): Promise<FetchResult> {
  if (!earlier?.trusted || earlier.name === result.name) return result;
  const { paths } = options;
  const final = paths.artifact(earlier.name);
  const lock = await acquireLock(paths.lock(`download-${earlier.name}`), {
    what: `replacing ${earlier.name}`,
    wait: true,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    if (
      !trustedRecord(
        readJson<DownloadRecord>(paths.downloadRecord(earlier.name), { own: roles.record }),
        final,
        options.cache,
      )
    )
      return result; // changed meanwhile: left alone
    await protectBackingFile(paths, final, { sha256: earlier.record.sha256, replacement: result.sha256 }, options.log);
    await removeOwn(paths.root, final);
    await removeOwn(paths.root, paths.downloadRecord(earlier.name));
  } finally {
    await lock.release();
  }
  options.log?.(
    `${result.name} takes the place of ${earlier.name} (upstream's newer file); ${earlier.name} ` +
      `was removed from images/${options.cache ? ' (the shared cache keeps it)' : ''}`,
  );
  return { ...result, status: 'updated', replaced: { sha256: earlier.record.sha256, name: earlier.name } };
}

// No place lists such a file: one message — the guide's URL is gone and why, what was tried, and
// the ways on without it.
function gone(artifact: Artifact, guide: URL, tried: string[]): KubenetError {
  const what = artifact.title ?? fileNameOf(guide);
  const moved = artifact.moved;
  return new KubenetError(
    `${what}: the guide's ${guide.href} is gone${moved ? ` — ${moved.why} —` : ','} and no other place lists one`,
    {
      code: ExitCode.download,
      details: tried.map((t) => `  tried ${t}`).join('\n'),
      hint: moved
        ? `Three ways on: skip it — ${moved.without}; pick an ISO you have or want: ` +
          `${moved.option} FILE|URL; or bring one you downloaded: kubenet import FILE.`
        : 'Check the URL in a browser; bring a copy you have with kubenet import FILE.',
    },
  );
}

// --offline: the file found before; else one of the places' shapes that images/ holds (with a
// SHA256SUMS beside it) or the shared cache has, vouched for by its own place.
async function foundOffline(
  artifact: Artifact,
  options: FetchOptions,
  places: Place[],
  earlier: Earlier | undefined,
): Promise<FetchResult> {
  const guide = upstreamUrl(artifact.url);
  const candidates: { url: string; place: Place }[] = earlier ? [{ url: earlier.url, place: earlier.place }] : [];
  const here = (() => {
    try {
      return readdirSync(options.paths.root);
    } catch {
      return [];
    }
  })();
  for (const place of places)
    for (const name of here.filter((n) => place.match(n)))
      candidates.push({ url: new URL(name, place.dir).href, place });
  if (options.cache) {
    const records = await new SharedCache(options.cache).records().catch(() => []);
    for (const place of places)
      for (const r of records)
        if (new URL('.', r.url).href === place.dir.href && place.match(fileNameOf(r.url)))
          candidates.push({ url: r.url, place });
  }
  let first: unknown;
  for (const { url, place } of new Map(candidates.map((c) => [c.url, c])).values()) {
    try {
      return withFound(
        await fetchFile({ ...artifact, url }, options),
        place,
        artifact,
        options.log ?? (() => undefined),
      );
    } catch (error) {
      if (!isKubenetError(error) || (error.code !== ExitCode.offline && error.code !== ExitCode.digest)) throw error;
      first ??= error;
    }
  }
  if (first) throw first;
  throw new KubenetError(
    `--offline: ${artifact.title ?? fileNameOf(guide)} is not in images/ or ` +
      `the shared cache (looked for ${places.map((p) => p.shown).join(', ')})`,
    {
      code: ExitCode.offline,
      hint:
        `Run once without --offline (or kubenet prefetch) to find and download it; or bring one you ` +
        `have: kubenet import FILE${artifact.moved ? `, or ${artifact.moved.option} FILE` : ''}.`,
    },
  );
}
