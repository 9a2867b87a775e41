// Files kubenet writes appear whole or not at all: a temp file beside the target, fsync,
// rename, then fsync of the folder so the rename itself survives a crash. A failure at any
// point removes the temp file and leaves the target as it was.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// The temp name starts with '.' and ends in '.tmp' so globs for the real names never pick it up.
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export interface AtomicWriteOptions {
  mode?: number;
  createDir?: boolean; // make the folder first (default); false: a missing folder is an error
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, { mode = 0o644, createDir = true }: AtomicWriteOptions = {}): Promise<void> {
  if (createDir) await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
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
}

// Some platforms cannot open a folder for fsync; the file is complete there, so that is no error.
async function syncDirectory(dir: string): Promise<void> {
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
