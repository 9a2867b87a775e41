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
