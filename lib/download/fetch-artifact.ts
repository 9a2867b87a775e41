// A verified, resumable, cached, locked download of one artifact into images/.
//   offline → the cache or a clear error; otherwise, under the file's lock:
//   conditional GET of SHA256SUMS → cached when nothing changed, else download into the partial
//   file (resuming it), verify the digest computed while streaming, fsync, make it read-only and
//   rename it over the final name (never writing into a file an overlay may be backed by).
import { chmod, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { checkSums } from './check-upstream.js';
import { failureHint } from './failure-hint.js';
import { acquireLock } from '../lock/file-lock.js';
import { ownDir } from '../fs/no-follow.js';
import type { DownloadRecord, Validators } from './records.js';
import { identityOfStats } from '../fingerprint/identity.js';
import { readJson, removePartial, statOrUndefined, trustedRecord, writeJson } from './records.js';
import { hashFile, loadPartial } from './resume-state.js';
import { withRetries } from './retry.js';
import { fileNameOf, sumsUrlOf, upstreamUrl, viaMirror } from './source-url.js';
import { TransferError } from './transfer-error.js';
import { transferOnce } from './transfer.js';
import { defaults, type Artifact, type FetchOptions, type FetchResult } from './types.js';
import { offlineResult } from './offline.js';
import { Sha256Worker } from './sha256-worker.js';

const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;

export async function fetchArtifact(artifact: Artifact, options: FetchOptions): Promise<FetchResult> {
  const upstream = upstreamUrl(artifact.url);
  const name = fileNameOf(upstream);
  const { paths } = options;
  const final = paths.artifact(name);
  if (options.offline) return offlineResult(upstream.href, name, paths);

  const sumsUrl = viaMirror(sumsUrlOf(upstream), options.mirror);
  const sourceUrl = viaMirror(upstream, options.mirror);
  const tun = { ...defaults, ...definedOnly(options) };
  const lockPath = paths.lock(`download-${name}`);
  await ownDir(paths.root, dirname(lockPath));
  const waitStart = Date.now();
  const lock = await acquireLock(lockPath, { what: `downloading ${name}`, wait: true, timing: { pollMs: tun.lockPollMs }, signal: options.signal, log: options.log });
  let transferred = 0;
  let hasher: Sha256Worker | undefined;
  try {
    const record = await trustedRecord(await readJson<DownloadRecord>(paths.downloadRecord(name)), final);
    const result = (status: FetchResult['status'], r: DownloadRecord, replaced?: string): FetchResult => ({
      name, path: final, url: upstream.href, size: r.size, sha256: r.sha256, status, transferred, ...(replaced ? { replaced: { sha256: replaced } } : {}),
    });
    // Another process held the lock and has just verified this file: use its result.
    if (lock.waited && record && record.url === upstream.href && record.verifiedAt >= waitStart) return result('cached', record);

    const known = record && record.url === upstream.href ? record.sums : undefined;
    const retry = { retries: tun.retries, backoffMs: tun.backoffMs, signal: options.signal, log: options.log };
    const sums = await guard(sumsUrl, options, () =>
      withRetries(() => checkSums(sumsUrl, name, known, { signal: options.signal, idleMs: tun.stallMs }), { ...retry, what: 'SHA256SUMS' }),
    );
    if (sums.notModified) return result('cached', record!);
    if (record && record.sha256 === sums.sha256) {
      const updated = { ...record, sums: sums.validators };
      await writeJson(paths.downloadRecord(name), updated);
      return result('cached', updated);
    }
    // A final file the record does not vouch for (none, or touched since): check it once, locally.
    let previous = record?.sha256;
    if (!record && (await statOrUndefined(final))) {
      previous = await hashFile(final);
      if (previous === sums.sha256) return result('cached', await saveRecord(final, upstream.href, sums.sha256, sums.validators, paths.downloadRecord(name)));
    }
    if (previous) options.log?.(`${name}: upstream published a new image (sha256 ${sums.sha256.slice(0, 16)}…); downloading it`);

    const partial = paths.partial(name);
    const partialMeta = paths.partialMeta(name);
    hasher = new Sha256Worker();
    let state = await loadPartial(partial, partialMeta, upstream.href, sums.sha256, hasher);
    const resumedFrom = state.offset;
    if (resumedFrom > 0) options.log?.(`${name}: resuming at ${mib(resumedFrom)}`);
    let progressed = false;
    const attempt = {
      url: sourceUrl, upstream: upstream.href, sha256: sums.sha256, partial, partialMeta, file: name,
      idleMs: tun.stallMs, progressMs: tun.progressMs, signal: options.signal, log: options.log, onProgress: options.onProgress,
      onBytes: (n: number) => { transferred += n; progressed = true; },
    };
    const download = () =>
      withRetries(() => ((progressed = false), transferOnce(state, attempt)), { ...retry, what: name }, () => progressed);
    let digest = await guard(sourceUrl, options, download, state);
    if (digest !== sums.sha256 && resumedFrom > 0) {
      // The kept bytes may belong to an older file served without validators: one clean try.
      options.log?.(`${name}: digest mismatch after resuming; downloading again from the start`);
      await removePartial(partial, partialMeta);
      state = await loadPartial(partial, partialMeta, upstream.href, sums.sha256, hasher);
      digest = await guard(sourceUrl, options, download, state);
    }
    if (digest !== sums.sha256) {
      await removePartial(partial, partialMeta);
      throw new KubenetError(`${name} does not match SHA256SUMS: expected ${sums.sha256}, got ${digest}`, {
        code: ExitCode.digest,
        hint: `The download from ${sourceUrl.href} was discarded${previous ? ' and the earlier copy kept' : ''}. Run again; if it persists the mirror or upstream is serving a file that does not match its SHA256SUMS.`,
      });
    }
    await chmod(partial, 0o444);
    await rename(partial, final); // over the old one, if any: an overlay's pinned hard link keeps the old inode
    await syncDir(dirname(final));
    await rm(partialMeta, { force: true });
    const saved = await saveRecord(final, upstream.href, sums.sha256, sums.validators, paths.downloadRecord(name));
    if (previous && previous !== sums.sha256) return result('updated', saved, previous);
    return result(resumedFrom > 0 ? 'resumed' : 'downloaded', saved);
  } finally {
    hasher?.close();
    await lock.release();
  }
}

async function saveRecord(final: string, url: string, sha256: string, sums: Validators, path: string): Promise<DownloadRecord> {
  const s = (await statOrUndefined(final))!;
  const record: DownloadRecord = { url, size: s.size, sha256, identity: identityOfStats(s), sums, verifiedAt: Date.now() };
  await writeJson(path, record);
  return record;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // some file systems cannot sync a directory; the rename itself is still atomic
  } finally {
    await handle.close();
  }
}

// Network failures become KubenetErrors naming the URL and what to try; Ctrl-C becomes "interrupted".
async function guard<T>(url: URL, options: FetchOptions, run: () => Promise<T>, state?: { offset: number }): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (options.signal?.aborted) {
      const at = state && state.offset > 0 ? ` at ${mib(state.offset)}` : '';
      throw new KubenetError(`download of ${url.href} interrupted${at}`, { code: ExitCode.interrupted, cause: error, hint: 'Run the same command again: the download resumes where it stopped.' });
    }
    if (!(error instanceof TransferError)) throw error;
    throw new KubenetError(`cannot download ${url.href}: ${error.message}`, { code: ExitCode.download, cause: error, hint: failureHint(error, options.mirror) });
  }
}

function definedOnly(options: FetchOptions) {
  const keys = ['stallMs', 'retries', 'backoffMs', 'lockPollMs', 'progressMs'] as const;
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as Partial<typeof defaults>;
}
