// Writes a download to disk while hashing it, in one pass over the bytes.
// Writes are synchronous, on the thread that receives: measured on a 1 GiB loopback download,
// this is 1.5–2× faster than handing batches to the libuv pool (which also raised peak RSS to
// ~95 MB), and the file on disk is always an exact prefix of the stream — what resume relies on.
// (A background fdatasync every 128 MiB made it 2× slower: writes block on pages under writeback.)
import type { Hash } from 'node:crypto';
import { closeSync, fsync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';

const batchSize = 1 << 20; // small chunks (a slow TLS link) are gathered into 1 MiB writes

export class FileSink {
  written: number; // bytes of the file so far, resumed prefix included (the last ones may still be buffered)
  private batch = Buffer.allocUnsafe(batchSize);
  private fill = 0;
  private closed = false;

  private constructor(private readonly fd: number, private readonly hash: Hash, offset: number) {
    this.written = offset;
  }

  // Opens `path` to continue at `offset` (0 starts over); `hash` already covers the first `offset` bytes.
  static open(path: string, offset: number, hash: Hash): FileSink {
    const fd = openSync(path, offset === 0 ? 'w' : 'r+', 0o644);
    try {
      ftruncateSync(fd, offset);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new FileSink(fd, hash, offset);
  }

  write(chunk: Buffer): void {
    this.hash.update(chunk);
    this.written += chunk.length;
    if (this.fill === 0 && chunk.length >= batchSize / 4) this.writeAll(chunk);
    else {
      let at = 0;
      while (at < chunk.length) {
        const take = Math.min(batchSize - this.fill, chunk.length - at);
        chunk.copy(this.batch, this.fill, at, at + take);
        this.fill += take;
        at += take;
        if (this.fill === batchSize) this.flush();
      }
    }
  }

  // Flushes, syncs to disk and closes; returns the hex digest of the whole file.
  async finish(): Promise<string> {
    this.flush();
    await promisify(fsync)(this.fd);
    this.closeFd();
    return this.hash.digest('hex');
  }

  // Flushes what was received (a resume loses nothing) and closes, keeping the file.
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closeFd();
    }
  }

  private flush(): void {
    if (this.fill === 0) return;
    const bytes = this.batch.subarray(0, this.fill);
    this.fill = 0;
    this.writeAll(bytes);
  }

  private writeAll(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) at += writeSync(this.fd, bytes, at, bytes.length - at);
  }

  private closeFd(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
