// One fetchFile call (fetch-file.ts): what it knows before it asks anything — names, URLs,
// deadlines, what must sign SHA256SUMS — and, once it holds the file's lock, what images/ holds
// under the name and the verbs its stages share: the result, the folder's record, the shared
// cache's copy, moving overlays off the file a new one replaces.
import { dirname } from 'node:path';
import { protectBackingFile } from '../disk/protect-backing.js';
import { ExitCode, KubenetError } from '../errors.js';
import { ownDir, ownFileStats } from '../fs/no-follow.js';
import { acquireLock, type HeldLock } from '../lock/file-lock.js';
import type { Paths } from '../paths.js';
import { SharedCache, type Attempt } from './cache/shared-cache.js';
import type { FailureContext } from './explain-failure.js';
import { whatIsHere, type HereNow } from './here-now.js';
import type { RequestOptions } from './http/client.js';
import { proxyEnv } from './http/proxy-env.js';
import { roles, saveRecord, type DownloadRecord } from './records.js';
import { fileNameOf, shownUrl, sumsUrlOf, upstreamUrl, viaMirror } from './source-url.js';
import { tunables, type Artifact, type FetchOptions, type FetchResult } from './types.js';
import { signatureNeed } from './verify/signature-policy.js';
import type { Sha256Worker } from './verify/sha256-worker.js';
import type { SignatureCheck } from './verify/signed-sums.js';

export interface FetchPlan {
  artifact: Artifact;
  options: FetchOptions;
  paths: Paths;
  upstream: URL;
  name: string; // its file name under images/
  final: string;
  sumsUrl: URL; // through the mirror, if any
  sourceUrl: URL;
  source: string; // the SHA256SUMS that vouches for what this run verifies, as shown
  log: (line: string) => void;
  cache?: SharedCache;
  signing: SignatureCheck;
  tun: ReturnType<typeof tunables>;
  request: RequestOptions;
}

export function planFetch(artifact: Artifact, options: FetchOptions): FetchPlan {
  const upstream = upstreamUrl(artifact.url);
  const name = fileNameOf(upstream);
  const { paths } = options;
  const sumsUrl = viaMirror(sumsUrlOf(upstream), options.mirror);
  const log = options.log ?? (() => undefined);
  const tun = tunables(options);
  return {
    artifact,
    options,
    paths,
    upstream,
    name,
    final: paths.artifact(name),
    sumsUrl,
    sourceUrl: viaMirror(upstream, options.mirror),
    source: shownUrl(sumsUrl),
    log,
    ...(options.cache ? { cache: new SharedCache(options.cache, log) } : {}),
    signing: { need: signatureNeed(upstream, options), file: name, log },
    tun,
    request: {
      headMs: tun.headMs,
      stallMs: tun.stallMs,
      minBytesPerSecond: tun.minBytesPerSecond,
      proxies: proxyEnv(options.env ?? process.env),
    },
  };
}

// What SHA256SUMS says now: the digest the file must have, and what vouched for it.
export interface Wanted {
  sha256: string;
  checked: Pick<DownloadRecord, 'sums' | 'signature'>;
}

export class FetchRun {
  transferred = 0; // body bytes received over the network
  previous: string | undefined; // the digest of the file this run replaces, when one is here
  cacheLock: HeldLock | undefined; // the shared cache's entry, while this run makes it
  hasher: Sha256Worker | undefined;
  readonly signal: AbortSignal; // Ctrl-C, or the file's lock taken over
  readonly record: DownloadRecord | undefined; // the file here is the one it verified

  private constructor(
    readonly plan: FetchPlan,
    private readonly lock: HeldLock,
    readonly here: HereNow,
    private readonly waitStart: number,
  ) {
    const { signal } = plan.options;
    this.signal = signal ? AbortSignal.any([signal, lock.lost]) : lock.lost;
    this.record = here.record;
    this.previous = here.record?.sha256 ?? here.changed?.now;
  }

  // Under the file's lock (checked before a byte comes: a link where kubenet keeps its record or
  // partial file stops the download up front), what images/ holds now.
  static async start(plan: FetchPlan): Promise<FetchRun> {
    const { paths, name, tun, options, log } = plan;
    const lockPath = paths.lock(`download-${name}`);
    await ownDir(paths.root, dirname(lockPath));
    await ownDir(paths.root, dirname(paths.downloadRecord(name)));
    const waitStart = Date.now();
    const timing = { pollMs: tun.lockPollMs };
    const what = `downloading ${name}`;
    const lock = await acquireLock(lockPath, { what, wait: true, timing, signal: options.signal, log });
    try {
      await ownFileStats(paths.partial(name), roles.partial);
      await ownFileStats(paths.partialMeta(name), roles.partialMeta);
      const here = await whatIsHere(paths, name, { ...(options.cache ? { cacheRoot: options.cache } : {}), log });
      return new FetchRun(plan, lock, here, waitStart);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  // Another process held the lock and has just verified this file.
  verifiedMeanwhile(): DownloadRecord | undefined {
    const { record } = this;
    const theirs = this.lock.waited && record?.url === this.plan.upstream.href && record.verifiedAt >= this.waitStart;
    return theirs ? record : undefined;
  }

  get retry() {
    const { tun } = this.plan;
    const { retries, backoffMs, maxAttempts, maxMs } = tun;
    return { retries, backoffMs, maxAttempts, maxMs, signal: this.signal, log: this.plan.log };
  }

  failing(url: URL, kept?: FailureContext['kept']): FailureContext {
    const { name, options, paths } = this.plan;
    const { mirror, signal } = options;
    return { url, file: name, mirror, signal, lost: this.lock.lost, partial: paths.partial(name), kept };
  }

  // The shared cache helps but never fails a download: what goes wrong there is said, and skipped.
  readonly softly: Attempt = async (what, run) => {
    try {
      return await run();
    } catch (error) {
      if (this.signal.aborted || (error instanceof KubenetError && error.code === ExitCode.interrupted)) throw error;
      const why = (error as Error).message;
      this.plan.log(`shared cache ${this.plan.options.cache}: could not ${what} (${why}); going on without it`);
      return undefined;
    }
  };

  result(status: FetchResult['status'], r: DownloadRecord, replaced?: string): FetchResult {
    const { name, final, upstream } = this.plan;
    const update = replaced ? { replaced: { sha256: replaced } } : {};
    const { size, sha256, signature } = r;
    const { transferred } = this;
    return { name, path: final, url: upstream.href, size, sha256, status, transferred, ...update, signature };
  }

  // A new file's status: an update where a verified one was here; and the digest it replaced.
  status(want: Wanted, fallback: FetchResult['status']): FetchResult['status'] {
    return this.record && this.previous !== want.sha256 ? 'updated' : fallback;
  }

  get replaced(): string | undefined {
    return this.record ? this.previous : undefined;
  }

  cached(r: DownloadRecord): Promise<FetchResult> {
    return this.keep(r).then(() => this.result('cached', r));
  }

  // Into the shared cache, vouched for by this run's SHA256SUMS.
  async keep(verified: Pick<DownloadRecord, 'sha256' | 'sums' | 'signature' | 'adopted'>): Promise<void> {
    const { sha256, sums, signature, adopted } = verified;
    const { cache, final, name, upstream, source } = this.plan;
    const facts = {
      sha256,
      name,
      url: upstream.href,
      sums: { source, ...sums },
      signature,
      voucher: source,
      theirs: adopted === true,
    };
    await this.softly('keep it', async () => cache?.keep(final, facts));
  }

  save(want: Wanted, adopted = false): Promise<DownloadRecord> {
    const { final, paths, name, upstream, source } = this.plan;
    const vouchedBy = { sums: source, at: Date.now() };
    const facts = { url: upstream.href, sha256: want.sha256, ...want.checked, vouchedBy };
    return saveRecord(final, paths.downloadRecord(name), adopted ? { ...facts, adopted } : facts);
  }

  // Overlays backed by the file here move onto a pinned copy before it is replaced — or, when it
  // was changed outside kubenet, are told so (protect-backing.ts).
  protect(want: Wanted): Promise<void> {
    const { paths, final, log } = this.plan;
    const { previous, here } = this;
    const madeOn = here.changed ? { madeOn: here.changed.was } : {};
    const replacing = { ...(previous ? { sha256: previous } : {}), ...madeOn, replacement: want.sha256 };
    return protectBackingFile(paths, final, replacing, log);
  }

  async release(): Promise<void> {
    this.hasher?.close();
    await this.cacheLock?.release();
    await this.lock.release();
  }
}
