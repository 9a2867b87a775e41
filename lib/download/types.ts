// The shapes the download library trades in. Tasks call fetchArtifact / fetchAll with these.
import type { Paths } from '../paths.js';
import type { SignatureOptions, SignatureRecord } from './verify/signature-policy.js';

// An upstream https URL; the file name is its basename and SHA256SUMS sits in the same directory.
export interface Artifact {
  url: string;
}

export interface Progress {
  file: string;
  received: number; // bytes of the file on disk so far, resumed bytes included
  total?: number;
  bytesPerSecond: number;
  etaSeconds?: number;
}

export interface FetchOptions extends SignatureOptions {
  paths: Paths;
  mirror?: string; // --mirror BASE / KUBENET_MIRROR: https://HOST/PATH is fetched as BASE/HOST/PATH
  offline?: boolean; // use images/ (and the shared cache) only, never the network
  cache?: string; // the shared download cache's folder; none: no shared cache
  signal?: AbortSignal; // Ctrl-C
  env?: NodeJS.ProcessEnv; // where https_proxy, http_proxy, no_proxy … are read (default: process.env)
  onProgress?: (progress: Progress) => void; // called at most every progressMs
  log?: (line: string) => void; // one-line notices ("resuming at 512 MiB", …)
  headMs?: number; // connect, TLS and the whole response head must arrive within this
  stallMs?: number; // a body that brings less than minBytesPerSecond over this long has stalled
  minBytesPerSecond?: number;
  retries?: number; // attempts in a row that may fail without progress before giving up
  backoffMs?: number; // first retry delay; doubles per failure
  maxAttempts?: number; // attempts per artifact, progress or not
  maxMs?: number; // time per artifact, retries included
  checkMs?: number; // the whole upstream check when a verified copy is cached
  lockPollMs?: number; // how often a waiting process looks at another's lock
  progressMs?: number;
}

// cached: the verified copy in images/ is current; adopted: a file already in images/ under its
// name matched and was recorded; shared: linked (or copied) from the shared cache.
export type FetchStatus = 'downloaded' | 'resumed' | 'cached' | 'updated' | 'adopted' | 'shared';

export interface FetchResult {
  name: string; // file name under images/
  path: string;
  url: string; // the upstream URL (not the mirror's)
  size: number;
  sha256: string;
  status: FetchStatus;
  replaced?: { sha256: string }; // the digest of the verified copy an update replaced
  signature?: SignatureRecord; // what vouched for its SHA256SUMS (none: recorded before kubenet checked signatures)
  transferred: number; // body bytes received over the network in this run
}

// Defaults sized for slow links, and documented in the README ("Guarantees and bounds"): half a
// minute for a response head, a body slower than 1 KiB/s over a minute has stalled, five failed
// attempts in a row without progress give up, and no artifact takes more than 100 attempts or a day.
export const defaults = {
  headMs: 30_000,
  stallMs: 60_000,
  minBytesPerSecond: 1024,
  retries: 5,
  backoffMs: 1_000,
  maxAttempts: 100,
  maxMs: 24 * 3_600_000,
  checkMs: 5_000,
  lockPollMs: 500,
  progressMs: 250,
} as const;

// The options' tunables over the defaults.
export function tunables(options: FetchOptions): { -readonly [K in keyof typeof defaults]: number } {
  const given = Object.fromEntries(Object.keys(defaults).flatMap((k) => (options[k as keyof typeof defaults] === undefined ? [] : [[k, options[k as keyof typeof defaults]]])));
  return { ...defaults, ...given };
}
