// Writes an image atomically: a temp file beside the target, fsync, rename. A crash or Ctrl-C
// leaves either the old file or the new one under the final name, never half of one.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { buildIso } from './build-iso.js';
import type { IsoFile, IsoOptions } from './types.js';
import { KubenetError } from '../errors.js';

// The temp name starts with '.' and ends in '.tmp' so globs for *.iso never pick it up.
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeIso(path: string, files: IsoFile[], options: IsoOptions): Promise<void> {
  const image = buildIso(files, options);
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(image);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new KubenetError(`could not write ${path}`, {
      cause,
      hint: `Check that ${dirname(path)} exists, is writable and has free space, then run again.`,
    });
  }
  await syncDirectory(dirname(path));
}

// Makes the rename itself durable. Some platforms cannot open a directory for fsync; the file is
// already complete there, so that is not an error.
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
