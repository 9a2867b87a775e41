// One attempt at the bytes of an artifact: continue the partial file with Range + If-Range,
// or start it over when the server sends the whole file. Hashes while writing (file-sink.ts).
import type { HttpResponse, RequestOptions } from '../http/client.js';
import { getSource } from './source.js';
import { validatorsOf } from '../verify/check-upstream.js';
import { FileSink } from './file-sink.js';
import type { PartialMeta, Validators } from '../records.js';
import { writeJson } from '../../fs/json-file.js';
import { dirname } from 'node:path';
import { shownUrl } from '../source-url.js';
import { fromStatus, TransferError } from '../http/transfer-error.js';
import type { Sha256Worker } from '../verify/sha256-worker.js';
import type { Progress } from '../types.js';
import type { SizeWatch } from './size-bounds.js';

// What survives between attempts in one run: the partial holds exactly `offset` bytes, all queued in `hash`.
export interface PartialState {
  offset: number;
  carried: number; // of those, bytes from an earlier run (0 once the download restarted from zero)
  hash: Sha256Worker;
  validators: Validators;
  total?: number;
  digest?: string; // set when the partial already holds the whole file, verified
}

export interface AttemptContext {
  url: URL; // what is fetched (the mirror's URL when there is one)
  upstream: string; // recorded in the partial meta
  sha256: string; // expected
  partial: string;
  partialMeta: string;
  request: RequestOptions;
  progressMs: number;
  log?: (line: string) => void;
  onProgress?: (progress: Progress) => void;
  onBytes: (n: number) => void; // network bytes, for the transferred count
  file: string;
  size: SizeWatch; // the ceiling and the disk's reserve
}

export const freshState = (hash: Sha256Worker): PartialState => (
  hash.reset(), { offset: 0, carried: 0, hash, validators: {}, total: undefined }
);

// Forget the partial: the next bytes are the file's first.
export function restart(state: PartialState): void {
  Object.assign(state, freshState(state.hash));
}

// Returns the hex digest of the complete partial file, synced to disk.
export async function transferOnce(state: PartialState, ctx: AttemptContext, signal: AbortSignal): Promise<string> {
  const headers: Record<string, string> = {};
  const asked = state.offset;
  if (asked > 0) {
    headers.Range = `bytes=${asked}-`;
    const ifRange =
      state.validators.etag && !state.validators.etag.startsWith('W/')
        ? state.validators.etag
        : state.validators.lastModified;
    if (ifRange) headers['If-Range'] = ifRange;
  }
  const response = await getSource(ctx.url, { ...ctx.request, headers, signal });
  const from = shownUrl(response.url);
  try {
    if (response.status === 206) {
      const contentRange = response.headers['content-range'] ?? '';
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange);
      if (!range)
        throw new TransferError(`206 with a malformed Content-Range "${contentRange}" from ${from}`, {
          retryable: false,
        });
      if (Number(range[1]) !== asked) {
        ctx.log?.(`${ctx.file}: server answered with another range (${contentRange}); restarting from the start`);
        restart(state);
        throw new TransferError(`unexpected Content-Range "${contentRange}" for bytes=${asked}- from ${from}`, {
          retryable: true,
        });
      }
      if (range[3] !== '*') state.total = Number(range[3]);
    } else if (response.status === 200) {
      if (asked > 0)
        ctx.log?.(`${ctx.file}: server ignored Range or the file changed upstream; restarting from the start`);
      restart(state);
      state.total = response.length;
    } else if (response.status === 416) {
      if (asked === 0)
        throw new TransferError(`HTTP 416 to a request without Range from ${from}`, { retryable: false, status: 416 });
      ctx.log?.(`${ctx.file}: the partial download does not fit the file upstream; restarting from the start`);
      restart(state);
      throw new TransferError(`HTTP 416 from ${from}`, { retryable: true, status: 416 });
    } else {
      throw fromStatus(response.status, response.url, response.proxy);
    }
    state.validators = validatorsOf(response.headers);
    const meta: PartialMeta = {
      url: ctx.upstream,
      sha256: ctx.sha256,
      validators: state.validators,
      ...(state.total ? { total: state.total } : {}),
    };
    ctx.size.announced(state.total, state.offset);
    // before any byte, so a resumed partial always has its meta
    await writeJson(ctx.partialMeta, meta, { root: dirname(ctx.partialMeta) });

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
      ctx.size.writing(sink.written, chunk.length, state.total);
      if (!sink.write(chunk)) {
        response.pause(); // the hash worker is behind: let it catch up
        void sink.room().then(
          () => response.resume(),
          () => response.resume(),
        ); // a failed worker fails the next write
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
    throw new TransferError(`body ended at ${sink.written} of ${state.total} bytes: ${shownUrl(response.url)}`, {
      retryable: true,
    });
  }
  if (ctx.onProgress) report(performance.now());
  return sink.finish();
}
