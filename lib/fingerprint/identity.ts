// A file's identity without reading it: what the up-to-date check compares, so its cost stays
// flat whether an output is 1 KB or 3 GB.
import { statSync, type Stats } from 'node:fs';

export interface Identity {
  size: number;
  mtimeMs: number;
  ino: number;
}

export const identityOfStats = (s: Stats): Identity => ({ size: s.size, mtimeMs: s.mtimeMs, ino: s.ino });

export function identityOf(path: string): Identity | undefined {
  try {
    return identityOfStats(statSync(path));
  } catch {
    return undefined;
  }
}

export const sameIdentity = (a: Identity, b: Identity): boolean =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;

// The identity kubenet trusts a download by, a file others may share through hard links (a
// folder's image, the shared cache's entry): the above, its device, and its ctime — which no user
// can set back, so a write with its size and mtime restored still shows. (Making or removing a
// link changes ctime too: whoever makes one records the identity again, under the entry's lock.)
export interface FileIdentity extends Identity {
  ctimeMs: number;
  dev: number;
}

export const fileIdentityOfStats = (s: Stats): FileIdentity => ({
  ...identityOfStats(s),
  ctimeMs: s.ctimeMs,
  dev: s.dev,
});

// A record written before ctime was recorded matches nothing: the file is hashed once again.
export const sameFileIdentity = (a: FileIdentity, b: Partial<FileIdentity>): boolean =>
  sameIdentity(a, b as Identity) && a.ctimeMs === b.ctimeMs && a.dev === b.dev;
