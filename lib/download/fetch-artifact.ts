// A verified, resumable, cached, locked download of one artifact into images/.
//   offline → the cache or a clear error; otherwise, under the file's lock:
//   conditional GET of SHA256SUMS → cached when nothing changed (with a verified copy here,
//   upstream gets one short chance, then the copy is used with a warning), else download into the
//   partial file (resuming it), verify the digest computed while streaming, fsync, make it
//   read-only through its own descriptor and rename it over the final name (never writing into a
//   file an overlay may be backed by). Nothing is read or written through a link: a link in
//   images/ where kubenet keeps its own file is refused.
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { protectBackingFile } from '../disk/protect-backing.js';
import { ExitCode, KubenetError } from '../errors.js';
import { sha256File } from '../fingerprint/hash-file.js';
import { identityOfStats } from '../fingerprint/identity.js';
import { syncDirectory } from '../fs/atomic-write.js';
import { readJson, writeJson } from '../fs/json-file.js';
import { ownDir, ownFileStats } from '../fs/no-follow.js';
import { acquireLock } from '../lock/file-lock.js';
import { checkSums, type SumsCheck } from './verify/check-upstream.js';
import { explainingFailure, mib, type FailureContext } from './explain-failure.js';
import type { RequestOptions } from './http/client.js';
import { proxyEnv } from './http/proxy-env.js';
import { sealPartial } from './transfer/file-sink.js';
import { offlineResult } from './offline.js';
import type { DownloadRecord, Validators } from './records.js';
import { removePartial, roles, trustedRecord } from './records.js';
import { loadPartial } from './transfer/resume-state.js';
import { withRetries } from './transfer/retry.js';
import { Sha256Worker } from './verify/sha256-worker.js';
import { fileNameOf, isFolderMirror, shownUrl, sumsUrlOf, upstreamUrl, viaMirror } from './source-url.js';
import { TransferError } from './http/transfer-error.js';
import { transferOnce, type AttemptContext } from './transfer/transfer.js';
import { defaults, type Artifact, type FetchOptions, type FetchResult } from './types.js';

export async function fetchArtifact(artifact: Artifact, options: FetchOptions): Promise<FetchResult> {
  const upstream = upstreamUrl(artifact.url);
  const name = fileNameOf(upstream);
  const { paths } = options;
  const final = paths.artifact(name);
  const sumsUrl = viaMirror(sumsUrlOf(upstream), options.mirror);
  const sourceUrl = viaMirror(upstream, options.mirror);
  // A folder mirror is no network: --offline fills images/ from it.
  if (options.offline && !isFolderMirror(sourceUrl)) return offlineResult(upstream.href, name, paths);

  const tun = { ...defaults, ...definedOnly(options) };
  const request: RequestOptions = { headMs: tun.headMs, stallMs: tun.stallMs, minBytesPerSecond: tun.minBytesPerSecond, proxies: proxyEnv(options.env ?? process.env) };
  const lockPath = paths.lock(`download-${name}`);
  await ownDir(paths.root, dirname(lockPath));
  const waitStart = Date.now();
  const lock = await acquireLock(lockPath, { what: `downloading ${name}`, wait: true, timing: { pollMs: tun.lockPollMs }, signal: options.signal, log: options.log });
  const signal = options.signal ? AbortSignal.any([options.signal, lock.lost]) : lock.lost;
  const failing = (url: URL, kept?: FailureContext['kept']): FailureContext => ({ url, file: name, mirror: options.mirror, signal: options.signal, lost: lock.lost, partial: paths.partial(name), kept });
  let transferred = 0;
  let hasher: Sha256Worker | undefined;
  try {
    const partial = paths.partial(name);
    const partialMeta = paths.partialMeta(name);
    for (const [path, role] of [[partial, roles.partial], [partialMeta, roles.partialMeta]] as const) await ownFileStats(path, role);
    const record = trustedRecord(readJson<DownloadRecord>(paths.downloadRecord(name), { own: roles.record }), final);
    const result = (status: FetchResult['status'], r: DownloadRecord, replaced?: string): FetchResult => ({
      name, path: final, url: upstream.href, size: r.size, sha256: r.sha256, status, transferred, ...(replaced ? { replaced: { sha256: replaced } } : {}),
    });
    // Another process held the lock and has just verified this file: use its result.
    if (lock.waited && record && record.url === upstream.href && record.verifiedAt >= waitStart) return result('cached', record);

    const known = record && record.url === upstream.href ? record.sums : undefined;
    const retry = { retries: tun.retries, backoffMs: tun.backoffMs, maxAttempts: tun.maxAttempts, maxMs: tun.maxMs, signal, log: options.log };
    let sums: SumsCheck | undefined;
    if (record) {
      sums = await checkOnce(sumsUrl, name, known, request, { signal, checkMs: tun.checkMs, log: options.log });
      if (!sums) return result('cached', record);
    } else {
      sums = await explainingFailure(failing(sumsUrl), () =>
        withRetries((attemptSignal) => checkSums(sumsUrl, name, known, { ...request, signal: attemptSignal }), { ...retry, what: 'SHA256SUMS' }),
      );
    }
    if (sums.notModified) return result('cached', record!);
    if (record && record.sha256 === sums.sha256) {
      const updated = { ...record, sums: sums.validators };
      await writeJson(paths.downloadRecord(name), updated);
      return result('cached', updated);
    }
    // A final file the record does not vouch for (none, or touched since): check it once, locally.
    let previous = record?.sha256;
    if (!record && (await ownFileStats(final, roles.final))) {
      previous = await sha256File(final);
      if (previous === sums.sha256) return result('cached', await saveRecord(final, upstream.href, sums.sha256, sums.validators, paths.downloadRecord(name)));
    }
    if (previous) options.log?.(`${name}: upstream published a new image (sha256 ${sums.sha256.slice(0, 16)}…); downloading it`);

    hasher = new Sha256Worker();
    let state = await loadPartial(partial, partialMeta, upstream.href, sums.sha256, hasher);
    if (state.carried > 0 && !state.digest) options.log?.(`${name}: resuming at ${mib(state.carried)}`);
    // Progress is new bytes kept beyond the furthest point reached: at least one stall window's minimum.
    let furthest = state.offset;
    const minProgress = (tun.minBytesPerSecond * tun.stallMs) / 1000;
    const progressed = () => {
      const moved = state.offset - furthest >= minProgress;
      furthest = Math.max(furthest, state.offset);
      return moved;
    };
    const attempt: AttemptContext = {
      url: sourceUrl, upstream: upstream.href, sha256: sums.sha256, partial, partialMeta, file: name,
      request, progressMs: tun.progressMs, log: options.log, onProgress: options.onProgress,
      onBytes: (n: number) => void (transferred += n),
    };
    const download = () =>
      explainingFailure(failing(sourceUrl, state), () => withRetries((attemptSignal) => transferOnce(state, attempt, attemptSignal), { ...retry, what: name }, progressed));
    let digest = state.digest ?? (await download());
    if (digest !== sums.sha256 && state.carried > 0) {
      // The kept bytes may belong to an older file served without validators: one clean try.
      options.log?.(`${name}: digest mismatch after resuming; downloading again from the start`);
      await removePartial(partial, partialMeta);
      state = await loadPartial(partial, partialMeta, upstream.href, sums.sha256, hasher);
      furthest = 0;
      digest = await download();
    }
    if (digest !== sums.sha256) {
      await removePartial(partial, partialMeta);
      throw new KubenetError(`${name} does not match SHA256SUMS: expected ${sums.sha256}, got ${digest}`, {
        code: ExitCode.digest,
        hint: `The download from ${shownUrl(sourceUrl)} was discarded${previous ? ' and the earlier copy kept' : ''}. Run again; if it persists the mirror or upstream is serving a file that does not match its SHA256SUMS.`,
      });
    }
    await protectBackingFile(paths, final, previous, options.log); // overlays backed by the old file move onto a pinned copy first
    const sealed = await sealPartial(partial);
    try {
      await rename(partial, final); // over the old one, if any: an overlay's pinned hard link keeps the old inode
    } finally {
      await sealed.close();
    }
    await syncDirectory(dirname(final));
    await rm(partialMeta, { force: true });
    const saved = await saveRecord(final, upstream.href, sums.sha256, sums.validators, paths.downloadRecord(name));
    if (previous && previous !== sums.sha256) return result('updated', saved, previous);
    return result(state.carried > 0 ? 'resumed' : 'downloaded', saved);
  } finally {
    hasher?.close();
    await lock.release();
  }
}

// With a verified copy here, upstream gets one short chance (`checkMs` for the whole check, no
// retry): a server that does not answer costs seconds, not minutes. Undefined: use the copy.
async function checkOnce(sumsUrl: URL, name: string, known: Validators | undefined, request: RequestOptions, { signal, checkMs, log }: { signal: AbortSignal; checkMs: number; log?: (line: string) => void }): Promise<SumsCheck | undefined> {
  const timeUp = AbortSignal.timeout(checkMs);
  try {
    return await checkSums(sumsUrl, name, known, { ...request, signal: AbortSignal.any([signal, timeUp]) });
  } catch (error) {
    if (signal.aborted) throw new KubenetError(`interrupted while checking ${shownUrl(sumsUrl)}`, { code: ExitCode.interrupted, cause: error });
    if (!(error instanceof TransferError)) throw error;
    const why = timeUp.aborted ? `no answer from ${shownUrl(sumsUrl)} within ${checkMs / 1000} s` : error.message;
    log?.(`${name}: could not check upstream (${why}); using the verified copy in the cache`);
    return undefined;
  }
}

async function saveRecord(final: string, url: string, sha256: string, sums: Validators, path: string): Promise<DownloadRecord> {
  const s = (await ownFileStats(final, roles.final))!;
  const record: DownloadRecord = { url, size: s.size, sha256, identity: identityOfStats(s), sums, verifiedAt: Date.now() };
  await writeJson(path, record);
  return record;
}

function definedOnly(options: FetchOptions) {
  const keys = ['headMs', 'stallMs', 'minBytesPerSecond', 'retries', 'backoffMs', 'maxAttempts', 'maxMs', 'checkMs', 'lockPollMs', 'progressMs'] as const;
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as Partial<typeof defaults>;
}
