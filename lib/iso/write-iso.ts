// Writes an image atomically (lib/fs/atomic-write.ts): a crash or Ctrl-C leaves either the old
// file or the new one under the final name, never half of one.
import { dirname } from 'node:path';
import { KubenetError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { buildIso } from './build-iso.js';
import type { IsoFile, IsoOptions } from './types.js';

export { tempPathFor } from '../fs/atomic-write.js';

export async function writeIso(path: string, files: IsoFile[], options: IsoOptions): Promise<void> {
  const image = buildIso(files, options);
  try {
    await writeFileAtomic(path, image, { createDir: false });
  } catch (cause) {
    throw new KubenetError(`could not write ${path}`, {
      cause,
      hint: `Check that ${dirname(path)} exists, is writable and has free space, then run again.`,
    });
  }
}
