// Where the bytes of an artifact and its SHA256SUMS come from: an http(s) server (redirects
// followed), or a folder mirror on this machine (file:///DIR/HOST/PATH), which is read as a static
// server would serve it — no such file is a 404, ETag and Last-Modified come from its size and
// mtime, If-None-Match is a 304, and a Range is honoured while If-Range still holds — so resuming,
// verifying and recording work the same either way. A folder mirror needs no network and no proxy.
import { open, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { GetOptions, HttpResponse } from '../http/client.js';
import { httpGetFollowing } from '../http/redirects.js';
import { TransferError } from '../http/transfer-error.js';

export function getSource(url: URL, options: GetOptions): Promise<HttpResponse> {
  return url.protocol === 'file:' ? readFromFolder(url, options) : httpGetFollowing(url, options);
}

const readSize = 1 << 20;

async function readFromFolder(url: URL, options: GetOptions): Promise<HttpResponse> {
  const path = fileURLToPath(url);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new TransferError(`not in the mirror: ${path}`, { retryable: false, status: 404, cause: error });
    throw new TransferError(`cannot read ${path} in the mirror: ${code}`, { retryable: false, cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new TransferError(`not in the mirror: ${path} is not a file`, { retryable: false, status: 404 });
    const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const lastModified = stats.mtime.toUTCString();
    const asked = options.headers ?? {};
    const validators = { etag, 'last-modified': lastModified };
    if (asked['If-None-Match'] === etag || (!asked['If-None-Match'] && asked['If-Modified-Since'] === lastModified)) {
      await handle.close();
      return response(url, 304, validators, undefined, 0, 0, options);
    }
    const range = /^bytes=(\d+)-$/.exec(asked.Range ?? '');
    const ifRange = asked['If-Range'];
    const start = range && (!ifRange || ifRange === etag || ifRange === lastModified) ? Number(range[1]) : 0;
    if (start > 0 && start >= stats.size) {
      await handle.close();
      return response(url, 416, { 'content-range': `bytes */${stats.size}` }, undefined, 0, 0, options);
    }
    const headers: Record<string, string> = { ...validators, 'content-length': String(stats.size - start) };
    if (start > 0) headers['content-range'] = `bytes ${start}-${stats.size - 1}/${stats.size}`;
    return response(url, start > 0 ? 206 : 200, headers, handle, start, stats.size, options);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

// The body is read in 1 MiB pieces into one reused buffer (each chunk valid only during the call,
// as from the HTTP client), pausing when the consumer asks, stopping when the signal aborts.
function response(
  url: URL,
  status: number,
  headers: Record<string, string>,
  handle: FileHandle | undefined,
  start: number,
  end: number,
  options: GetOptions,
): HttpResponse {
  let closed = false;
  let resumed: (() => void) | undefined;
  let paused: Promise<void> | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    resumed?.();
    void handle?.close().catch(() => undefined);
  };
  const consume = async (onChunk: (chunk: Buffer) => void): Promise<void> => {
    if (!handle) return;
    const buffer = Buffer.allocUnsafe(readSize);
    try {
      for (let at = start; at < end; ) {
        if (paused) await paused;
        if (options.signal?.aborted)
          throw new TransferError(`aborted: ${fileURLToPath(url)}`, { retryable: false, cause: options.signal.reason });
        if (closed) throw new TransferError(`closed: ${fileURLToPath(url)}`, { retryable: false });
        const { bytesRead } = await handle
          .read(buffer, 0, Math.min(readSize, end - at), at)
          .catch((error: NodeJS.ErrnoException) => {
            throw new TransferError(`cannot read ${fileURLToPath(url)} in the mirror: ${error.code ?? error.message}`, {
              retryable: false,
              cause: error,
            });
          });
        if (bytesRead === 0)
          throw new TransferError(`${fileURLToPath(url)} got shorter while it was read`, { retryable: true });
        at += bytesRead;
        onChunk(buffer.subarray(0, bytesRead));
      }
    } finally {
      close();
    }
  };
  return {
    url,
    status,
    headers,
    length: status === 200 || status === 206 ? end - start : undefined,
    consume,
    async text(limit = 1 << 20) {
      if (end - start > limit) {
        close();
        throw new TransferError(`${fileURLToPath(url)} is larger than ${limit} bytes`, { retryable: false });
      }
      const parts: Buffer[] = [];
      await consume((chunk) => parts.push(Buffer.from(chunk)));
      return Buffer.concat(parts).toString('utf8');
    },
    pause() {
      paused ??= new Promise<void>((resolve) => (resumed = resolve));
    },
    resume() {
      const wake = resumed;
      paused = undefined;
      resumed = undefined;
      wake?.();
    },
    close,
  };
}
