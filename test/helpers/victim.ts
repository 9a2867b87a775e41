// A file outside images/ that a planted link points at: tests assert it is never written,
// truncated or chmod-ed through the link.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Victim {
  path: string;
  sha256: string; // of its content when planted
  untouched(): boolean; // same content and mode as planted
}

export function plantVictim(dir: string, name = 'victim.txt'): Victim {
  const path = join(dir, name);
  writeFileSync(path, `precious content of ${name}\n`, { mode: 0o600 });
  const sha256 = digest(path);
  return { path, sha256, untouched: () => digest(path) === sha256 && (statSync(path).mode & 0o777) === 0o600 };
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
