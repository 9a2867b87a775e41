// A file put under a second name without writing into it: a hard link where the file system
// allows one (the same inode, no space used) and the caller allows it, else a whole copy
// (copy-once.ts: a reflink where there are reflinks). Either way the new name appears whole or not at all, and the
// source is
// never moved, modified or chmod'ed — a link shares the source's mode, a copy gets `mode`.
import { link, realpath, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from './atomic-write.js';
import { copyOnce } from './copy-once.js';
import { sweepTemps, tempPathFor } from './temp-names.js';

// Errors that mean "no hard links here" (another file system, or one without them), not "something is wrong".
const noHardLinks = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

export type Placed = 'linked' | 'copied' | 'exists';

// `replace: false` keeps whatever is at `to` ('exists'), even when two runs race; `replace: true`
// puts the file there by a rename over the old name (a hard link to the old file keeps it).
// `copy: true` never links: the source is someone else's file, whose inode must not be shared.
export async function linkOrCopy(
  from: string,
  to: string,
  { replace, mode = 0o444, copy = false }: { replace: boolean; mode?: number; copy?: boolean },
): Promise<Placed> {
  const source = await realpath(from); // link(2) would link a symbolic link itself, not its file
  const place = (target: string) => (copy ? copyOnce(source, target, { mode }) : linkElseCopy(source, target, mode));
  if (!replace) {
    const placed = await place(to);
    if (placed !== 'exists') await syncDirectory(dirname(to));
    return placed;
  }
  await sweepTemps(to);
  const temp = tempPathFor(to);
  try {
    const placed = await place(temp);
    await rename(temp, to);
    await syncDirectory(dirname(to));
    return placed;
  } finally {
    await rm(temp, { force: true });
  }
}

async function linkElseCopy(source: string, to: string, mode: number): Promise<Placed> {
  try {
    await link(source, to);
    return 'linked';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return 'exists';
    if (!noHardLinks.has(code)) throw error;
  }
  return copyOnce(source, to, { mode });
}
