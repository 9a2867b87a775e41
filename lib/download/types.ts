// The shapes the download library trades in. Tasks call fetchArtifact / fetchAll with these.
import type { Paths } from '../paths.js';

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

export interface FetchOptions {
  paths: Paths;
  mirror?: string; // --mirror BASE / KUBENET_MIRROR: https://HOST/PATH is fetched as BASE/HOST/PATH
  offline?: boolean; // use the cache only, never the network
  signal?: AbortSignal; // Ctrl-C
  onProgress?: (progress: Progress) => void; // called at most every progressMs
  log?: (line: string) => void; // one-line notices ("resuming at 512 MiB", …)
  stallMs?: number; // abort and retry an attempt that receives no byte for this long
  retries?: number; // attempts in a row that may fail without progress before giving up
  backoffMs?: number; // first retry delay; doubles per failure
  lockPollMs?: number; // how often a waiting process looks at another's lock
  progressMs?: number;
}

export type FetchStatus = 'downloaded' | 'resumed' | 'cached' | 'updated';

export interface FetchResult {
  name: string; // file name under images/
  path: string;
  url: string; // the upstream URL (not the mirror's)
  size: number;
  sha256: string;
  status: FetchStatus;
  replaced?: { sha256: string }; // the digest of the copy an update replaced
  transferred: number; // body bytes received over the network in this run
}

// Defaults sized for slow links: a minute of silence is a stall, five quiet failures give up.
export const defaults = {
  stallMs: 60_000,
  retries: 5,
  backoffMs: 1_000,
  lockPollMs: 500,
  progressMs: 250,
} as const;
