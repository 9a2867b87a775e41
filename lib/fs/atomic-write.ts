// Files kubenet writes appear whole or not at all: an exclusive temp file beside the target,
// fsync, rename, then fsync of the folder so the rename itself survives a crash. A failure at any
// point removes the temp file and leaves the target as it was. A link (or folder) at the target's
// name is refused, not replaced, and so is a link in place of any folder between `root` (images/,
// the shared cache) and it: kubenet writes only its own files, in its own folders.
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openOwn, ownDir, ownDirExists, ownFile } from './no-follow.js';
import { sweepTemps, tempPathFor } from './temp-names.js';

export { tempPathFor } from './temp-names.js';

export interface AtomicWriteOptions {
  root: string; // the folder kubenet owns the path from: images/ or the shared cache
  mode?: number;
  createDir?: boolean; // make missing folders first (default); false: a missing folder is an error
}

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  { root, mode = 0o644, createDir = true }: AtomicWriteOptions,
): Promise<void> {
  if (createDir) await ownDir(root, dirname(path));
  else if (!(await ownDirExists(root, dirname(path))))
    throw Object.assign(new Error(`ENOENT: no such folder, ${dirname(path)}`), { code: 'ENOENT', path: dirname(path) });
  await ownFile(path);
  const temp = tempPathFor(path);
  try {
    const handle = await openOwn(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode); // on the descriptor: the umask does not decide, and no path is followed
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
  await sweepTemps(path);
}

// Some platforms cannot open a folder for fsync; the file is complete there, so that is no error.
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
