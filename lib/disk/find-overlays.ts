// Which qcow2 images in images/ are backed by a given file — read from each image's own header,
// whoever made it (kubenet, or the learner with the guide's qemu-img command). A relative backing
// name resolves from the overlay's folder, as QEMU resolves it; links are followed to compare
// the files a name really reaches. A hard link is another file here: it keeps its content when
// the name it was linked from is replaced.
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isTempName } from '../fs/temp-names.js';
import { readQcow2Backing } from './qcow2-header.js';

export interface Overlay {
  path: string; // the overlay, under images/
  backing: string; // its backing name as written in its header
  backingFormat?: string;
  // reached through a symbolic link (to the overlay, or to a folder holding it): it lives outside images/
  viaLink: boolean;
}

// kubenet's bookkeeping and its temp names hold no overlays of the user's.
const skipped = (name: string) => name === '.kubenet' || isTempName(name);
const maxDepth = 4;

export async function overlaysBackedBy(root: string, file: string): Promise<Overlay[]> {
  const target = await realpath(file);
  const found = new Map<string, Overlay>(); // by the overlay's real path: one entry per file
  // `linked`: reached through a link to a folder (its overlays live outside images/).
  const visit = async (dir: string, depth: number, linked: boolean): Promise<void> => {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const name of entries) {
      if (skipped(name)) continue;
      const path = join(dir, name);
      const own = await lstat(path).catch(() => undefined);
      const reached = own?.isSymbolicLink() ? await stat(path).catch(() => undefined) : own;
      if (!own || !reached) continue;
      const viaLink = linked || own.isSymbolicLink();
      if (reached.isDirectory()) {
        if (depth < maxDepth) await visit(path, depth + 1, viaLink); // the depth bounds link loops too
        continue;
      }
      if (!reached.isFile()) continue;
      const header = await readQcow2Backing(path).catch(() => undefined);
      if (!header?.backing) continue;
      const backing = await realpath(backingPath(path, header.backing)).catch(() => undefined);
      if (backing !== target) continue;
      const real = await realpath(path);
      if (found.get(real)?.viaLink === false) continue; // already reached directly in images/
      found.set(real, {
        path,
        backing: header.backing,
        viaLink,
        ...(header.backingFormat ? { backingFormat: header.backingFormat } : {}),
      });
    }
  };
  await visit(root, 0, false);
  return [...found.values()];
}

// The file a backing name names: QEMU resolves a relative name from the overlay's folder (the
// folder of the name it was opened by), and accepts a "file:" protocol prefix.
export function backingPath(overlay: string, backing: string): string {
  const name = backing.startsWith('file:') ? backing.slice('file:'.length) : backing;
  return resolve(dirname(overlay), name);
}
