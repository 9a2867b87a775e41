// The shapes the download library trades in. Tasks call fetchArtifact / fetchAll with these.
import type { Paths } from '../paths.js';
import type { SignatureOptions, SignatureRecord } from './verify/signature-policy.js';

// An upstream https URL; the file name is its basename and SHA256SUMS sits in the same directory.
// With `elsewhere`, the URL is the guide's, asked first; the file may be found under another name
// in other directories (find-elsewhere.ts).
export interface Artifact {
  url: string;
  title?: string; // for messages: the Ubuntu live ISO
  maxBytes?: number; // the most it can be (default: defaultMaxBytes)
  elsewhere?: readonly Elsewhere[];
  moved?: Moved;
}

// Another directory where upstream publishes such a file, under a name of this shape; the newest
// version wins (the number `file` captures first: ubuntu-22.04.5 before ubuntu-22.04.4).
export interface Elsewhere {
  dir: string; // https://releases.ubuntu.com/jammy/ — it has a SHA256SUMS
  file: RegExp; // /^ubuntu-22\.04\.(\d+)-desktop-amd64\.iso$/
  shown: string; // ubuntu-22.04.N-desktop-amd64.iso
  why?: string; // how the file differs from the guide's beyond its name, when it does
}

// Why the guide's URL no longer serves the file, and what to do without it.
export interface Moved {
  why: string; // Ubuntu stopped publishing jammy's daily-live builds (the guide's issue #19)
  without: string; // what needs no such file: steps 9–11 …
  option: string; // the option that picks another: --live-iso
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
  reserveBytes?: number; // free space a download leaves on the disk of images/
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
  replaced?: { sha256: string; name?: string }; // the verified copy an update replaced (its name, when another)
  signature: SignatureRecord; // what vouched for its SHA256SUMS
  transferred: number; // body bytes received over the network in this run
  found?: Found; // the file is not the guide's: where it was found instead
}

export interface Found {
  guide: string; // the guide's file name: jammy-desktop-amd64.iso
  from: string; // the directory it came from: https://releases.ubuntu.com/jammy/
  why?: string;
}

// Defaults sized for slow links, and documented in docs/guarantees.md: half a
// minute for a response head, a body slower than 1 KiB/s over a minute has stalled, five failed
// attempts in a row without progress give up, and no artifact takes more than 100 attempts or a
// day; a download leaves 256 MiB free, and one that says nothing of its size stops at 64 GiB.
export const defaults = {
  headMs: 30_000,
  stallMs: 60_000,
  minBytesPerSecond: 1024,
  retries: 5,
  backoffMs: 1_000,
  maxAttempts: 100,
  maxMs: 24 * 3_600_000,
  reserveBytes: 256 * 2 ** 20,
  checkMs: 5_000,
  lockPollMs: 500,
  progressMs: 250,
} as const;

// The ceiling of a download whose definition gives none.
export const defaultMaxBytes = 64 * 2 ** 30;

// The options' tunables over the defaults.
export function tunables(options: FetchOptions): { -readonly [K in keyof typeof defaults]: number } {
  const given = Object.fromEntries(
    Object.keys(defaults).flatMap((k) =>
      options[k as keyof typeof defaults] === undefined ? [] : [[k, options[k as keyof typeof defaults]]],
    ),
  );
  return { ...defaults, ...given };
}
