// fetchFile's transfer and seal stages: the bytes downloaded into the partial file (resuming it)
// and verified by the digest computed while streaming; then the partial made the download —
// fsynced, made read-only through its own descriptor and renamed over the final name, never
// writing into a file an overlay may be backed by.
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { syncDirectory } from '../fs/atomic-write.js';
import { explainingFailure, mib } from './explain-failure.js';
import type { FetchRun, Wanted } from './fetch-run.js';
import { removePartial } from './records.js';
import { shownUrl } from './source-url.js';
import { sealPartial } from './transfer/file-sink.js';
import { loadPartial } from './transfer/resume-state.js';
import { withRetries } from './transfer/retry.js';
import { PastBound, SizeWatch } from './transfer/size-bounds.js';
import { transferOnce, type AttemptContext, type PartialState } from './transfer/transfer.js';
import { defaultMaxBytes } from './types.js';
import { Sha256Worker } from './verify/sha256-worker.js';

// Says whether the bytes that verified began with ones an earlier run kept.
export async function transfer(run: FetchRun, want: Wanted): Promise<{ resumed: boolean }> {
  const { paths, name, upstream, sourceUrl, tun, log } = run.plan;
  const [partial, partialMeta] = [paths.partial(name), paths.partialMeta(name)];
  const hasher = (run.hasher = new Sha256Worker());
  let state = await loadPartial(partial, partialMeta, upstream.href, want.sha256, hasher);
  if (state.carried > 0 && !state.digest) log(`${name}: resuming at ${mib(state.carried)}`);
  const attempt = attemptContext(run, want);
  // Progress is new bytes kept beyond the furthest point reached: at least one stall window's minimum.
  let furthest = state.offset;
  const minProgress = (tun.minBytesPerSecond * tun.stallMs) / 1000;
  const progressed = () => {
    const moved = state.offset - furthest >= minProgress;
    furthest = Math.max(furthest, state.offset);
    return moved;
  };
  const retry = { ...run.retry, what: name };
  const attempts = (from: PartialState) =>
    withRetries((signal) => transferOnce(from, attempt, signal), retry, progressed);
  const download = (from: PartialState) =>
    explainingFailure(run.failing(sourceUrl, from), () => attempts(from)).catch(async (error: unknown) => {
      if (error instanceof PastBound && error.discard) await removePartial(partial, partialMeta); // it can never verify
      throw error;
    });
  let digest = state.digest ?? (await download(state));
  if (digest !== want.sha256 && state.carried > 0) {
    // The kept bytes may belong to an older file served without validators: one clean try.
    log(`${name}: digest mismatch after resuming; downloading again from the start`);
    await removePartial(partial, partialMeta);
    state = await loadPartial(partial, partialMeta, upstream.href, want.sha256, hasher);
    furthest = 0;
    digest = await download(state);
  }
  if (digest !== want.sha256) {
    await removePartial(partial, partialMeta);
    throw mismatch(run, want, digest);
  }
  return { resumed: state.carried > 0 };
}

function attemptContext(run: FetchRun, want: Wanted): AttemptContext {
  const { artifact, options, paths, name, upstream, sourceUrl, request, tun, log } = run.plan;
  const partial = paths.partial(name);
  const bounds = { maxBytes: artifact.maxBytes ?? defaultMaxBytes, reserveBytes: tun.reserveBytes };
  return {
    url: sourceUrl,
    upstream: upstream.href,
    sha256: want.sha256,
    partial,
    partialMeta: paths.partialMeta(name),
    file: name,
    request,
    progressMs: tun.progressMs,
    log,
    onProgress: options.onProgress,
    onBytes: (n: number) => void (run.transferred += n),
    size: new SizeWatch(bounds, name, partial),
  };
}

function mismatch(run: FetchRun, want: Wanted, digest: string): KubenetError {
  const kept = run.previous ? ' and the earlier copy kept' : '';
  return new KubenetError(`${run.plan.name} does not match SHA256SUMS: expected ${want.sha256}, got ${digest}`, {
    code: ExitCode.digest,
    hint:
      `The download from ${shownUrl(run.plan.sourceUrl)} was discarded${kept}. Run again; ` +
      'if it persists the mirror or upstream is serving a file that does not match its SHA256SUMS.',
  });
}

// Overlays move off the file it replaces first (FetchRun.protect).
export async function seal(run: FetchRun, want: Wanted): Promise<void> {
  const { paths, name, final } = run.plan;
  const partial = paths.partial(name);
  await run.protect(want);
  const sealed = await sealPartial(partial);
  try {
    await rename(partial, final); // over the old one, if any: an overlay's pinned hard link keeps the old inode
  } finally {
    await sealed.close();
  }
  await syncDirectory(dirname(final));
  await rm(paths.partialMeta(name), { force: true });
}
