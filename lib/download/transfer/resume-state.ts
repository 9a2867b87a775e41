// On a new run, what of an earlier partial download can be kept: only data of the same URL and
// the same expected digest. Its bytes are hashed once from disk (local I/O, not re-transfer), on the
// download's hash worker. A partial that already holds the whole file is finished without the network.
import { constants } from 'node:fs';
import { feedFile } from '../../fingerprint/hash-file.js';
import { readJson } from '../../fs/json-file.js';
import { openOwnFile, ownFileStats } from '../../fs/no-follow.js';
import { removePartial, roles, type PartialMeta } from '../records.js';
import type { Sha256Worker } from '../verify/sha256-worker.js';
import { freshState, type PartialState } from './transfer.js';

export async function loadPartial(
  partial: string,
  partialMeta: string,
  upstream: string,
  sha256: string,
  hash: Sha256Worker,
): Promise<PartialState> {
  const meta = readJson<PartialMeta>(partialMeta, { own: roles.partialMeta });
  const s = await ownFileStats(partial, roles.partial);
  // A partial with another name (a hard link) is never written into: it starts over as a new file.
  if (
    !meta ||
    !s ||
    s.nlink > 1 ||
    meta.url !== upstream ||
    meta.sha256 !== sha256 ||
    s.size === 0 ||
    (meta.total !== undefined && s.size > meta.total)
  ) {
    await removePartial(partial, partialMeta);
    return freshState(hash);
  }
  const state = { ...freshState(hash), validators: meta.validators ?? {}, total: meta.total };
  const handle = await openOwnFile(partial, constants.O_RDONLY, roles.partial);
  try {
    // Made read-only just before a rename that a kill prevented: writable again, through its own descriptor.
    if (((await handle.stat()).mode & 0o200) === 0) await handle.chmod(0o644);
    state.offset = await feedFile(handle, async (chunk) => {
      if (!hash.update(chunk)) await hash.room();
    });
  } finally {
    await handle.close();
  }
  state.carried = state.offset;
  if (meta.total === undefined || state.offset !== meta.total) return state;
  const digest = await hash.digest();
  if (digest === sha256) return { ...state, digest };
  await removePartial(partial, partialMeta); // all of it, and wrong: nothing to resume
  return freshState(hash);
}
