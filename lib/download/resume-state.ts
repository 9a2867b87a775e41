// On a new run, what of an earlier partial download can be kept: only data of the same URL and
// the same expected digest. Its bytes are hashed once from disk (local I/O, not re-transfer), on the
// download's hash worker.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { PartialMeta } from './records.js';
import { readJson, removePartial, statOrUndefined } from './records.js';
import type { Sha256Worker } from './sha256-worker.js';
import { freshState, type PartialState } from './transfer.js';

export async function loadPartial(partial: string, partialMeta: string, upstream: string, sha256: string, hash: Sha256Worker): Promise<PartialState> {
  const meta = await readJson<PartialMeta>(partialMeta);
  const s = await statOrUndefined(partial);
  if (!meta || !s || meta.url !== upstream || meta.sha256 !== sha256 || s.size === 0 || (meta.total !== undefined && s.size > meta.total)) {
    await removePartial(partial, partialMeta);
    return freshState(hash);
  }
  const state = freshState(hash);
  for await (const chunk of createReadStream(partial, { highWaterMark: 1 << 20 })) {
    state.offset += (chunk as Buffer).length;
    if (!hash.update(chunk as Buffer)) await hash.room();
  }
  return { ...state, validators: meta.validators ?? {}, total: meta.total };
}

// Hashes a whole file once; for a final file that has no (or an outdated) record.
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
