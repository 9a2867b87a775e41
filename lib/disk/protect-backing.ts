// A downloaded file is replaced when upstream publishes a new version — but an overlay in images/
// may be backed by it (made by kubenet, or by hand with the guide's step-9 command), and an
// overlay on a changed backing file is a corrupt disk. So before the replacement, the overlays'
// own headers are read; if any uses the file, it is pinned (images/base/) and every such overlay
// is moved onto the pin. If that cannot be done, the file is not replaced.
// A file that was modified outside kubenet after it was verified is not what its overlays were
// made on, and is never pinned as if it were: when the verified image comes back in its place,
// they read what they were made on again; else they keep the modified file, pinned under its own
// digest. Either way the run says their base was modified and their data may be inconsistent.
import { basename, relative } from 'node:path';
import { sha256File } from '../fingerprint/hash-file.js';
import { ownFile } from '../fs/no-follow.js';
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import { overlaysBackedBy } from './find-overlays.js';
import { pinFile } from './pin-file.js';
import { rebaseOverlay } from './rebase-overlay.js';

export interface Replacing {
  sha256?: string; // the file's digest now, when known (it names the pin)
  madeOn?: string; // the digest kubenet verified it as, when the file no longer has it
  replacement?: string; // the digest of what takes its place
}

// Call just before `file` is replaced.
export async function protectBackingFile(
  paths: Paths,
  file: string,
  replacing: Replacing = {},
  log?: (line: string) => void,
): Promise<void> {
  if (!(await ownFile(file))) return;
  const users = await overlaysBackedBy(paths.root, file);
  if (!users.length) return;
  const consequence = `${file} was not replaced`;
  const linked = users.find((o) => o.viaLink);
  if (linked) {
    throw new KubenetError(
      `${linked.path}, reached through a symbolic link, is an overlay backed ` +
        `by ${file}: kubenet does not write through links, so ${consequence}`,
      {
        code: ExitCode.host,
        hint:
          `move the overlay itself into images/, or point it at a copy of ${file} yourself ` +
          `(qemu-img rebase -u -b COPY ${JSON.stringify(linked.path)}), then run again`,
      },
    );
  }
  const now = replacing.sha256 ?? (await sha256File(file));
  const { madeOn } = replacing;
  const modified = madeOn !== undefined && madeOn !== now;
  const what = (overlay: string) =>
    `${relative(paths.root, overlay)} is backed by ${basename(file)}, which was modified outside ` +
    `kubenet after it was verified (sha256 now ${now.slice(0, 16)}…, made on ${madeOn?.slice(0, 16)}…)`;
  if (modified && replacing.replacement === madeOn) {
    for (const overlay of users)
      log?.(
        `${what(overlay.path)}: the verified image it was made on is put back in its ` +
          `place; what the VM wrote while its base was modified may be inconsistent`,
      );
    return;
  }
  const pin = await pinFile(paths, file, now);
  for (const overlay of users) {
    await rebaseOverlay(overlay.path, pin, consequence, overlay.backingFormat);
    log?.(
      modified
        ? `${what(overlay.path)}: it keeps reading the modified file, kept as ` +
            `${relative(paths.root, pin)} — not the image it was made on; its data may be inconsistent`
        : `${relative(paths.root, overlay.path)} was backed by ${basename(file)}: moved onto ` +
            `its kept copy ${relative(paths.root, pin)}, so it keeps reading what it was made on`,
    );
  }
  const left = await overlaysBackedBy(paths.root, file);
  if (left.length) {
    throw new KubenetError(
      `${left.map((o) => o.path).join(', ')} still ` +
        `use${left.length === 1 ? 's' : ''} ${file} as backing file; ${consequence}`,
      {
        code: ExitCode.failure,
        hint: 'another program changed the overlay meanwhile; run again',
      },
    );
  }
}
