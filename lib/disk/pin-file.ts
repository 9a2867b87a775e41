// A kept copy of a backing file that is about to be replaced, under a name of its own
// (images/base/<sha>-<file>) for its overlays to point at: a hard link where the file system has
// them (no space while both names share the file), else a whole copy. An existing pin is reused
// only when it is kubenet's own plain file of the same size.
import { lstat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { linkOrCopy } from '../fs/link-or-copy.js';
import { ExitCode, KubenetError } from '../errors.js';
import { ownDir, ownFile } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';

export async function pinFile(paths: Paths, file: string, sha256: string): Promise<string> {
  const pin = paths.pinned(sha256, basename(file));
  await ownDir(paths.root, dirname(pin));
  const size = (await lstat(file)).size;
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await ownFile(pin);
    if (existing) {
      if (existing.size === size) return pin;
      throw new KubenetError(
        `${pin} is not a copy of ${basename(file)} (${existing.size} bytes, not ${size}): refusing to use it`,
        {
          code: ExitCode.host,
          hint:
            `move it out of images/base/ and run again; kubenet pins ` +
            `${basename(file)} there for the overlays that use it`,
        },
      );
    }
    if ((await linkOrCopy(file, pin, { replace: false })) !== 'exists') return pin;
    // another run pinned it first: check theirs
  }
  throw new Error(`${pin} keeps changing under kubenet`);
}
