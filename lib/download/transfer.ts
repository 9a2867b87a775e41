// One attempt at the bytes of an artifact: continue the partial file with Range + If-Range,
// or start it over when the server sends the whole file. Hashes while writing (file-sink.ts).
import type { HttpResponse } from './http-client.js';
import { httpGetFollowing } from './redirects.js';
import { validatorsOf } from './check-upstream.js';
import { FileSink } from './file-sink.js';
import type { PartialMeta, Validators } from './records.js';
import { writeJson } from './records.js';
import { fromStatus, TransferError } from './transfer-error.js';
import type { Sha256Worker } from './sha256-worker.js';
import type { Progress } from './types.js';

// What survives between attempts in one run: the partial holds exactly `offset` bytes, all queued in `hash`.
export interface PartialState {
  offset: number;
  hash: Sha256Worker;
  validators: Validators;
  total?: number;
}

export interface AttemptContext {
  url: URL; // what is fetched (the mirror's URL when there is one)
  upstream: string; // recorded in the partial meta
  sha256: string; // expected
  partial: string;
  partialMeta: string;
  idleMs: number;
  progressMs: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (progress: Progress) => void;
  onBytes: (n: number) => void; // network bytes, for the transferred count and retry bookkeeping
  file: string;
}

export const freshState = (hash: Sha256Worker): PartialState => (hash.reset(), { offset: 0, hash, validators: {}, total: undefined });

// Forget the partial: the next bytes are the file's first.
export function restart(state: PartialState): void {
  Object.assign(state, freshState(state.hash));
}

// Returns the hex digest of the complete partial file, synced to disk.
export async function transferOnce(state: PartialState, ctx: AttemptContext): Promise<string> {
  const headers: Record<string, string> = {};
  if (state.offset > 0) {
    headers.Range = `bytes=${state.offset}-`;
    const ifRange = state.validators.etag && !state.validators.etag.startsWith('W/') ? state.validators.etag : state.validators.lastModified;
    if (ifRange) headers['If-Range'] = ifRange;
  }
  const response = await httpGetFollowing(ctx.url, { headers, signal: ctx.signal, idleMs: ctx.idleMs });
  try {
    let start = 0;
    if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)/.exec(response.headers['content-range'] ?? '');
      start = range ? Number(range[1]) : -1;
      if (range && range[3] !== '*') state.total = Number(range[3]);
      if (start !== state.offset) {
        ctx.log?.(`${ctx.file}: server answered with another range (${response.headers['content-range'] ?? 'none'}); restarting from the start`);
        restart(state);
        throw new TransferError(`unexpected Content-Range from ${response.url.href}`, { retryable: true });
      }
    } else if (response.status === 200) {
      if (state.offset > 0) ctx.log?.(`${ctx.file}: server ignored Range or the file changed upstream; restarting from the start`);
      const length = response.headers['content-length'];
      restart(state);
      if (length) state.total = Number(length);
    } else if (response.status === 416) {
      ctx.log?.(`${ctx.file}: the partial download does not fit the file upstream; restarting from the start`);
      restart(state);
      throw new TransferError(`HTTP 416 from ${response.url.href}`, { retryable: true });
    } else {
      throw fromStatus(response.status, response.url);
    }
    state.validators = validatorsOf(response.headers);
    const meta: PartialMeta = { url: ctx.upstream, sha256: ctx.sha256, validators: state.validators, ...(state.total ? { total: state.total } : {}) };
    await writeJson(ctx.partialMeta, meta); // before any byte, so a resumed partial always has its meta

    return await receive(response, state, ctx);
  } finally {
    response.close();
  }
}

async function receive(response: HttpResponse, state: PartialState, ctx: AttemptContext): Promise<string> {
  const sink = FileSink.open(ctx.partial, state.offset, state.hash);
  const startedAt = performance.now();
  const startOffset = state.offset;
  let lastReport = 0;
  const report = (now: number) => {
    lastReport = now;
    const seconds = (now - startedAt) / 1000;
    const bytesPerSecond = seconds > 0 ? (sink.written - startOffset) / seconds : 0;
    const progress: Progress = { file: ctx.file, received: sink.written, bytesPerSecond };
    if (state.total) {
      progress.total = state.total;
      if (bytesPerSecond > 0) progress.etaSeconds = (state.total - sink.written) / bytesPerSecond;
    }
    ctx.onProgress?.(progress);
  };
  try {
    await response.consume((chunk) => {
      if (!sink.write(chunk)) {
        response.pause(); // the hash worker is behind: let it catch up
        void sink.room().then(() => response.resume(), () => response.resume()); // a failed worker fails the next write
      }
      state.offset = sink.written;
      ctx.onBytes(chunk.length);
      if (ctx.onProgress) {
        const now = performance.now();
        if (now - lastReport >= ctx.progressMs) report(now);
      }
    });
  } catch (error) {
    sink.close(); // keep what arrived: the next attempt continues from it
    state.offset = sink.written;
    throw error;
  }
  if (state.total !== undefined && sink.written !== state.total) {
    sink.close();
    throw new TransferError(`body ended at ${sink.written} of ${state.total} bytes: ${response.url.href}`, { retryable: true });
  }
  if (ctx.onProgress) report(performance.now());
  return sink.finish();
}
