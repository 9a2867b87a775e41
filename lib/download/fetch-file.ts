// A verified, resumable, cached, locked download of one artifact into images/.
//   offline → images/, a SHA256SUMS beside the file, the shared cache, or a clear error; otherwise,
//   under the file's lock: conditional GET of SHA256SUMS (conditional only where the record's
//   signature check still vouches), its signature verified when it is new (verify/signed-sums.ts)
//   → cached when nothing changed (with a verified copy here, upstream gets one short chance, then
//   the copy is used with a warning, unless a signature is required and none vouched for it); a
//   file already in images/ under its name that matches is adopted; else, under the digest's lock
//   in the shared cache, linked from the cache, or downloaded into the partial file (resuming it),
//   verified by the digest computed while streaming, fsynced, made read-only through its own
//   descriptor and renamed over the final name (never writing into a file an overlay may be
//   backed by), then kept in the cache. Nothing is read or written through a link: a link in
//   images/ where kubenet keeps its own file is refused.
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { protectBackingFile } from '../disk/protect-backing.js';
import { ExitCode, KubenetError } from '../errors.js';
import { sha256File } from '../fingerprint/hash-file.js';
import { syncDirectory } from '../fs/atomic-write.js';
import { writeJson } from '../fs/json-file.js';
import { ownDir, ownFileStats } from '../fs/no-follow.js';
import { acquireLock, type HeldLock } from '../lock/file-lock.js';
import { SharedCache, type EntryRecord } from './cache/shared-cache.js';
import { explainingFailure, mib, type FailureContext } from './explain-failure.js';
import type { RequestOptions } from './http/client.js';
import { proxyEnv } from './http/proxy-env.js';
import { offlineResult } from './offline.js';
import { whatIsHere } from './here-now.js';
import { removePartial, roles, saveRecord, type DownloadRecord, type Validators } from './records.js';
import { fileNameOf, isFolderMirror, shownUrl, sumsUrlOf, upstreamUrl, viaMirror } from './source-url.js';
import { sealPartial } from './transfer/file-sink.js';
import { loadPartial } from './transfer/resume-state.js';
import { PastBound, SizeWatch } from './transfer/size-bounds.js';
import { withRetries } from './transfer/retry.js';
import { transferOnce, type AttemptContext } from './transfer/transfer.js';
import { defaultMaxBytes, tunables, type Artifact, type FetchOptions, type FetchResult } from './types.js';
import { checkOnce, checkSums, type SumsCheck } from './verify/check-upstream.js';
import { signatureNeed, stillVouches, usableUnchecked } from './verify/signature-policy.js';
import { Sha256Worker } from './verify/sha256-worker.js';

// What the caller already read of SHA256SUMS for this very file (find-elsewhere.ts), or
// 'unchecked': it could not be read, and the caller has said so — a verified copy is used.
export type Given = SumsCheck | 'unchecked';

export async function fetchFile(artifact: Artifact, options: FetchOptions, given?: Given): Promise<FetchResult> {
  const upstream = upstreamUrl(artifact.url);
  const name = fileNameOf(upstream);
  const { paths } = options;
  const final = paths.artifact(name);
  const sumsUrl = viaMirror(sumsUrlOf(upstream), options.mirror);
  const sourceUrl = viaMirror(upstream, options.mirror);
  const log = options.log ?? (() => undefined);
  const cache = options.cache ? new SharedCache(options.cache, log) : undefined;
  // A folder mirror is no network: --offline fills images/ from it.
  const signing = { need: signatureNeed(upstream, options), file: name, log };
  if (options.offline && !isFolderMirror(sourceUrl)) return offlineResult({ url: upstream.href, name, source: shownUrl(sumsUrl), paths, cache, signal: options.signal, log, signing });

  const tun = tunables(options);
  const request: RequestOptions = { headMs: tun.headMs, stallMs: tun.stallMs, minBytesPerSecond: tun.minBytesPerSecond, proxies: proxyEnv(options.env ?? process.env) };
  const lockPath = paths.lock(`download-${name}`);
  await ownDir(paths.root, dirname(lockPath));
  await ownDir(paths.root, dirname(paths.downloadRecord(name))); // checked before a byte comes: a link there stops the download up front
  const waitStart = Date.now();
  const lock = await acquireLock(lockPath, { what: `downloading ${name}`, wait: true, timing: { pollMs: tun.lockPollMs }, signal: options.signal, log });
  const signal = options.signal ? AbortSignal.any([options.signal, lock.lost]) : lock.lost;
  const failing = (url: URL, kept?: FailureContext['kept']): FailureContext => ({ url, file: name, mirror: options.mirror, signal: options.signal, lost: lock.lost, partial: paths.partial(name), kept });
  // The shared cache helps but never fails a download: what goes wrong there is said, and skipped.
  const softly = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      if (signal.aborted || (error instanceof KubenetError && error.code === ExitCode.interrupted)) throw error;
      log(`shared cache ${options.cache}: could not ${what} (${(error as Error).message}); going on without it`);
      return undefined;
    }
  };
  let transferred = 0;
  let hasher: Sha256Worker | undefined;
  let cacheLock: HeldLock | undefined;
  try {
    const partial = paths.partial(name);
    const partialMeta = paths.partialMeta(name);
    for (const [path, role] of [[partial, roles.partial], [partialMeta, roles.partialMeta]] as const) await ownFileStats(path, role);
    const here = await whatIsHere(paths, name, { ...(options.cache ? { cacheRoot: options.cache } : {}), log });
    const { record } = here;
    const result = (status: FetchResult['status'], r: DownloadRecord, replaced?: string): FetchResult => ({
      name, path: final, url: upstream.href, size: r.size, sha256: r.sha256, status, transferred, ...(replaced ? { replaced: { sha256: replaced } } : {}), signature: r.signature,
    });
    const source = shownUrl(sumsUrl); // the SHA256SUMS that vouches for what this run verifies
    const keep = async ({ sha256, sums, signature, adopted }: Pick<DownloadRecord, 'sha256' | 'sums' | 'signature' | 'adopted'>) =>
      void (await softly('keep it', async () => cache?.keep(final, { sha256, name, url: upstream.href, sums: { source, ...sums }, signature, voucher: source, theirs: adopted === true })));
    const save = (sha256: string, checked: Pick<DownloadRecord, 'sums' | 'signature'>, adopted = false) =>
      saveRecord(final, paths.downloadRecord(name), { url: upstream.href, sha256, ...checked, vouchedBy: { sums: source, at: Date.now() }, ...(adopted ? { adopted } : {}) });
    const cached = async (r: DownloadRecord) => (await keep(r), result('cached', r));
    // Another process held the lock and has just verified this file: use its result.
    if (lock.waited && record && record.url === upstream.href && record.verifiedAt >= waitStart) return result('cached', record);

    // What this folder knows of SHA256SUMS, else what the cache knows (for a conditional request) —
    // only where what vouched for it then still does: else SHA256SUMS is fetched and verified anew.
    const known = record && record.url === upstream.href && stillVouches(record.signature, signing.need) ? record.sums : undefined;
    const hint = record ? undefined : await softly('read it', async () => cache?.latestFor(upstream.href, source));
    const hinted = hint?.sums && hint.sums.source === source && stillVouches(hint.signature, signing.need) ? validatorsIn(hint.sums) : undefined;
    const retry = { retries: tun.retries, backoffMs: tun.backoffMs, maxAttempts: tun.maxAttempts, maxMs: tun.maxMs, signal, log };
    let sums: SumsCheck | undefined;
    const unchecked = (r: DownloadRecord) => usableUnchecked(r, signing.need, `${name}: upstream could not be checked, and the copy in images/`);
    if (given === 'unchecked' && record) return await cached(unchecked(record));
    if (given && given !== 'unchecked' && !(given.notModified && !record)) {
      sums = given;
    } else if (record) {
      sums = await checkOnce(sumsUrl, name, known, request, { signal, checkMs: tun.checkMs, log, signature: signing });
      if (!sums) return await cached(unchecked(record));
    } else {
      sums = await explainingFailure(failing(sumsUrl), () =>
        withRetries((attemptSignal) => checkSums(sumsUrl, name, known ?? hinted, { ...request, signal: attemptSignal, signature: signing }), { ...retry, what: 'SHA256SUMS' }),
      );
    }
    if (sums.notModified && record) return await cached(record);
    if (sums.notModified) sums = { notModified: false, sha256: hint!.sha256, validators: hinted!, signature: hint!.signature }; // unchanged since the cache's entry was verified
    const expected = sums.sha256;
    const checked = { sums: sums.validators, signature: sums.signature };
    if (record && record.sha256 === expected) {
      const updated = { ...record, ...checked };
      await writeJson(paths.downloadRecord(name), updated, { root: paths.root });
      return await cached(updated);
    }
    // A file under its name that no record vouches for (the learner's own wget, or one written
    // since it was verified): hashed once, locally, and adopted when it matches — nothing
    // downloaded. It stays theirs: the shared cache gets a copy, never a link to it.
    let previous = record?.sha256 ?? here.changed?.now;
    if (!record && here.exists) {
      previous ??= await sha256File(final);
      if (previous === expected) {
        log(`${name}: found in images/ and it matches SHA256SUMS (sha256 ${expected.slice(0, 16)}…): adopted, nothing downloaded`);
        const adopted = await save(expected, checked, true);
        await keep(adopted);
        return result('adopted', adopted);
      }
      log(`${name}: the file in images/ is not the one SHA256SUMS lists (sha256 ${previous.slice(0, 16)}…, expected ${expected.slice(0, 16)}…); getting the current one in its place`);
    } else if (previous) {
      log(`${name}: upstream published a new image (sha256 ${expected.slice(0, 16)}…); getting it`);
    }
    // Overlays backed by the old file move onto a pinned copy first — or, when it was changed
    // outside kubenet, are told so (protect-backing.ts).
    const protect = () => protectBackingFile(paths, final, { ...(previous ? { sha256: previous } : {}), ...(here.changed ? { madeOn: here.changed.was } : {}), replacement: expected }, log);
    const status = (fallback: FetchResult['status']) => (record && previous !== expected ? 'updated' : fallback);

    // One folder downloads, the others wait for it under the digest's lock, then link.
    if (cache) {
      cacheLock = await softly('lock it', () => cache.lock(expected, { what: `downloading ${name} into the shared cache for ${paths.root}`, wait: true, signal, timing: { pollMs: tun.lockPollMs } }));
      const entry = cacheLock && (await softly('read it', () => cache.find(expected)));
      if (entry) {
        await protect();
        const placed = await softly('link from it', () => cache.placeInto(expected, final));
        if (placed) {
          await removePartial(partial, partialMeta); // of this digest or an older one: no use now
          log(`${name}: from the shared cache (${placed === 'linked' ? 'a hard link: no space used' : 'a copy: the cache is on another file system'}), nothing downloaded`);
          const saved = await save(expected, checked);
          await keep(saved); // this run's source vouched for the entry too
          return result(status('shared'), saved, record ? previous : undefined);
        }
      }
    }

    hasher = new Sha256Worker();
    let state = await loadPartial(partial, partialMeta, upstream.href, expected, hasher);
    if (state.carried > 0 && !state.digest) log(`${name}: resuming at ${mib(state.carried)}`);
    // Progress is new bytes kept beyond the furthest point reached: at least one stall window's minimum.
    let furthest = state.offset;
    const minProgress = (tun.minBytesPerSecond * tun.stallMs) / 1000;
    const progressed = () => {
      const moved = state.offset - furthest >= minProgress;
      furthest = Math.max(furthest, state.offset);
      return moved;
    };
    const attempt: AttemptContext = {
      url: sourceUrl, upstream: upstream.href, sha256: expected, partial, partialMeta, file: name,
      request, progressMs: tun.progressMs, log, onProgress: options.onProgress,
      onBytes: (n: number) => void (transferred += n),
      size: new SizeWatch({ maxBytes: artifact.maxBytes ?? defaultMaxBytes, reserveBytes: tun.reserveBytes }, name, partial),
    };
    const download = () =>
      explainingFailure(failing(sourceUrl, state), () => withRetries((attemptSignal) => transferOnce(state, attempt, attemptSignal), { ...retry, what: name }, progressed)).catch(async (error: unknown) => {
        if (error instanceof PastBound && error.discard) await removePartial(partial, partialMeta); // it can never verify
        throw error;
      });
    let digest = state.digest ?? (await download());
    if (digest !== expected && state.carried > 0) {
      // The kept bytes may belong to an older file served without validators: one clean try.
      log(`${name}: digest mismatch after resuming; downloading again from the start`);
      await removePartial(partial, partialMeta);
      state = await loadPartial(partial, partialMeta, upstream.href, expected, hasher);
      furthest = 0;
      digest = await download();
    }
    if (digest !== expected) {
      await removePartial(partial, partialMeta);
      throw new KubenetError(`${name} does not match SHA256SUMS: expected ${expected}, got ${digest}`, {
        code: ExitCode.digest,
        hint: `The download from ${shownUrl(sourceUrl)} was discarded${previous ? ' and the earlier copy kept' : ''}. Run again; if it persists the mirror or upstream is serving a file that does not match its SHA256SUMS.`,
      });
    }
    await protect();
    const sealed = await sealPartial(partial);
    try {
      await rename(partial, final); // over the old one, if any: an overlay's pinned hard link keeps the old inode
    } finally {
      await sealed.close();
    }
    await syncDirectory(dirname(final));
    await rm(partialMeta, { force: true });
    // Into the cache first: the link changes the file's ctime, and the record holds the identity after it.
    await keep({ sha256: expected, ...checked });
    const saved = await save(expected, checked);
    return result(status(state.carried > 0 ? 'resumed' : 'downloaded'), saved, record ? previous : undefined);
  } finally {
    hasher?.close();
    await cacheLock?.release();
    await lock.release();
  }
}

const validatorsIn = ({ etag, lastModified }: NonNullable<EntryRecord['sums']>): Validators => ({ ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) });
