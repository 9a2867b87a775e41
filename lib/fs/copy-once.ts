// A copy that appears whole or not at all and never replaces anything: into an exclusive temp
// name beside the target (a reflink where the file system has them, else a sparse copy that
// skips runs of zeros), fsync, then hard-linked into place, which fails if the name exists —
// even when two runs race. A kill at any moment leaves no file or the whole file, never part.
import { constants } from 'node:fs';
import { copyFile, link, open, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from './atomic-write.js';
import { openOwn } from './no-follow.js';
import { sweepTemps, tempPathFor } from './temp-names.js';

export type CopyResult = 'copied' | 'exists';

export async function copyOnce(from: string, to: string, { mode = 0o644 } = {}): Promise<CopyResult> {
  await sweepTemps(to);
  const temp = tempPathFor(to);
  try {
    const handle = await cloneOrCopy(from, temp, mode);
    try {
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists'; // theirs is kept
      throw error;
    }
  } finally {
    await rm(temp, { force: true });
  }
  await syncDirectory(dirname(to));
  return 'copied';
}

const { O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_WRONLY } = constants;

async function cloneOrCopy(from: string, temp: string, mode: number) {
  try {
    // COPYFILE_EXCL: the temp name is created exclusively, so nothing planted there is followed.
    await copyFile(from, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
    return await openOwn(temp, O_RDWR);
  } catch {
    await rm(temp, { force: true });
  }
  const handle = await openOwn(temp, O_WRONLY | O_CREAT | O_EXCL, mode);
  try {
    await sparseCopy(from, handle);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

const block = 64 * 1024;
const zeros = Buffer.alloc(block);

// Writes only the blocks that hold data; the length is set at the end, so holes stay holes.
async function sparseCopy(from: string, to: FileHandle): Promise<void> {
  const source = await open(from, O_RDONLY);
  try {
    const buffer = Buffer.alloc(16 * block);
    let position = 0;
    for (;;) {
      const { bytesRead } = await source.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      for (let at = 0; at < bytesRead; at += block) {
        const piece = buffer.subarray(at, Math.min(at + block, bytesRead));
        if (!piece.equals(zeros.subarray(0, piece.length))) await to.write(piece, 0, piece.length, position + at);
      }
      position += bytesRead;
    }
    await to.truncate(position);
  } finally {
    await source.close();
  }
}
