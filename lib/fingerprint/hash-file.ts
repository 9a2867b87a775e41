// SHA-256 of a file in one streaming pass (used for small inputs and outputs whose digest the
// task did not report while making them, and for a download checked once, locally) — and the one
// read loop behind it, which a running hash (a resumed download's worker) is fed through too.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await feedFile(path, (chunk) => void hash.update(chunk));
  return hash.digest('hex');
}

// Hands a file's bytes, in order, in pieces of 1 MiB, to `take` (awaited when it returns a
// promise: a consumer that needs a pause); returns how many bytes there were. A handle is read
// from its start and left open.
export async function feedFile(
  file: string | FileHandle,
  take: (chunk: Buffer) => void | Promise<void>,
): Promise<number> {
  const stream =
    typeof file === 'string'
      ? createReadStream(file, { highWaterMark: 1 << 20 })
      : file.createReadStream({ highWaterMark: 1 << 20, autoClose: false, start: 0 });
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    await take(chunk as Buffer);
  }
  return bytes;
}
