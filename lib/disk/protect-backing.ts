// A downloaded file is replaced when upstream publishes a new version — but an overlay in images/
// may be backed by it (made by kubenet, or by hand with the guide's step-9 command), and an
// overlay on a changed backing file is a corrupt disk. So before the replacement, the overlays'
// own headers are read; if any uses the file, it is pinned (images/base/) and every such overlay
// is moved onto the pin. If that cannot be done, the file is not replaced.
import { basename, relative } from 'node:path';
import { sha256File } from '../fingerprint/hash-file.js';
import { ownFile } from '../fs/no-follow.js';
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import { overlaysBackedBy } from './find-overlays.js';
import { pinFile } from './pin-file.js';
import { rebaseOverlay } from './rebase-overlay.js';

// Call just before `file` is replaced. `sha256` is its digest when known (it names the pin).
export async function protectBackingFile(paths: Paths, file: string, sha256?: string, log?: (line: string) => void): Promise<void> {
  if (!(await ownFile(file))) return;
  const users = await overlaysBackedBy(paths.root, file);
  if (!users.length) return;
  const consequence = `${file} was not replaced`;
  const linked = users.find((o) => o.viaLink);
  if (linked) {
    throw new KubenetError(`${linked.path}, reached through a symbolic link, is an overlay backed by ${file}: kubenet does not write through links, so ${consequence}`, {
      code: ExitCode.host,
      hint: `move the overlay itself into images/, or point it at a copy of ${file} yourself (qemu-img rebase -u -b COPY ${JSON.stringify(linked.path)}), then run again`,
    });
  }
  const pin = await pinFile(paths, file, sha256 ?? (await sha256File(file)));
  for (const overlay of users) {
    await rebaseOverlay(overlay.path, pin, consequence, overlay.backingFormat);
    log?.(`${relative(paths.root, overlay.path)} was backed by ${basename(file)}: moved onto its kept copy ${relative(paths.root, pin)}, so it keeps reading what it was made on`);
  }
  const left = await overlaysBackedBy(paths.root, file);
  if (left.length) {
    throw new KubenetError(`${left.map((o) => o.path).join(', ')} still use${left.length === 1 ? 's' : ''} ${file} as backing file; ${consequence}`, {
      code: ExitCode.failure,
      hint: 'another program changed the overlay meanwhile; run again',
    });
  }
}
