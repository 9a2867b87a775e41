// kubenet's JSON files (records, manifests, facts), read and written one way everywhere. A file
// that is missing or torn reads as undefined: a reader treats "never written" and "half-written
// by a run that was killed" alike, and writes are whole or nothing (atomic-write.ts).
import { closeSync, constants, readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import { openOwnFileSync } from './no-follow.js';

// `own` names what kubenet keeps at `path` (a download record, a partial's record): the file is
// then opened without following a link, a link there is refused (no-follow.ts), and any error
// but "no such file" is thrown. Without it, a file that cannot be read is as good as none.
export function readJson<T>(path: string, { own }: { own?: string } = {}): T | undefined {
  let text: string;
  try {
    if (own === undefined) text = readFileSync(path, 'utf8');
    else {
      const fd = openOwnFileSync(path, constants.O_RDONLY, own);
      try {
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    if (own === undefined || (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

// Written whole under a temp name and renamed: a link at `path`, or in place of a folder between
// `root` and it, is refused, never written through.
export const writeJson = (
  path: string,
  value: unknown,
  { root, createDir = true }: { root: string; createDir?: boolean },
): Promise<void> => writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { root, createDir });
