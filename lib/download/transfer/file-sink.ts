// Writes a download to disk while it is hashed, in one pass over the bytes.
// Each received chunk is written at once, synchronously, on the thread that receives, then queued
// for the SHA-256 worker thread (sha256-worker.ts). So the file on disk is always exactly the bytes
// received so far — the prefix that resume relies on — and the hash covers exactly those bytes.
// Measured on a 1 GiB loopback download: synchronous writes were 1.5–2× faster than handing
// batches to the libuv pool (which also raised peak RSS to ~95 MB); batching small chunks in memory
// bought nothing and lost them on kill -9. (A background fdatasync every 128 MiB made it 2× slower:
// writes block on pages under writeback; the one fsync is at the end, while the worker catches up.)
// The partial is kubenet's own file: opened without following a link, and started over as a new
// file (O_EXCL), never by truncating whatever the name points at.
import { closeSync, constants, fsync, ftruncateSync, unlinkSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FileHandle } from 'node:fs/promises';
import { openOwnFile, openOwnFileSync, ownFileStatsSync } from '../../fs/no-follow.js';
import type { Sha256Worker } from '../verify/sha256-worker.js';

const { O_CREAT, O_EXCL, O_WRONLY } = constants;
const role = 'partial download';

export class FileSink {
  written: number; // bytes of the file so far, resumed prefix included
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly hash: Sha256Worker,
    offset: number,
  ) {
    this.written = offset;
  }

  // Opens `path` to continue at `offset` (0 starts over); `hash` already covers the first `offset` bytes.
  static open(path: string, offset: number, hash: Sha256Worker): FileSink {
    if (offset === 0 && ownFileStatsSync(path, role)) unlinkSync(path);
    const fd = openOwnFileSync(path, offset === 0 ? O_WRONLY | O_CREAT | O_EXCL : O_WRONLY, role);
    try {
      ftruncateSync(fd, offset);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new FileSink(fd, hash, offset);
  }

  // Returns false when the hash worker is behind: pause the source until room().
  write(chunk: Buffer): boolean {
    let at = 0;
    while (at < chunk.length) at += writeSync(this.fd, chunk, at, chunk.length - at, this.written + at);
    this.written += chunk.length;
    return this.hash.update(chunk); // after the write: on a disk error the hash still matches the file
  }

  room(): Promise<void> {
    return this.hash.room();
  }

  // Syncs to disk and closes; returns the hex digest of the whole file.
  async finish(): Promise<string> {
    try {
      const [, digest] = await Promise.all([promisify(fsync)(this.fd), this.hash.digest()]);
      return digest;
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

// The finished partial, made read-only through its own descriptor (never chmod by path, which
// would follow a link). The caller renames it while the handle is open, then closes it.
export async function sealPartial(path: string): Promise<FileHandle> {
  const handle = await openOwnFile(path, constants.O_RDONLY, role);
  try {
    await handle.chmod(0o444);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}
