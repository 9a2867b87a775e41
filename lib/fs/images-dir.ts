// images/ is checked once, before any work: a file in its place, or a folder kubenet may not
// write, gives one clear error up front instead of a system error deep inside a task.
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';

const elsewhere =
  'pass --images DIR (or set KUBENET_IMAGES) to a folder kubenet may write, or to a path where it may make one';
const fixOwner = (root: string) =>
  `${elsewhere}; if ${root} is yours, fix its owner or mode (a run with sudo ` +
  `may have left it root-owned: sudo chown -R "$USER" ${JSON.stringify(root)})`;

// `write`: the run will write there, so make the folder when it is missing and check that it is
// writable (false for --dry-run, which creates nothing and only reads).
export async function checkImagesDir(root: string, { write }: { write: boolean }): Promise<void> {
  const fail = (why: string, cause?: unknown, hint = elsewhere) =>
    new KubenetError(`the images folder ${root} ${why}`, {
      code: ExitCode.host,
      hint,
      ...(cause === undefined ? {} : { cause }),
    });
  const stats = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    if (error.code === 'ENOTDIR')
      throw fail('cannot be made: a file stands where one of its parent folders should be', error);
    throw fail(`cannot be read (${error.code})`, error);
  });
  if (stats && !stats.isDirectory())
    throw fail('is a file, not a folder', undefined, `${elsewhere} (or move the file away)`);
  if (!write) return;
  if (!stats) {
    await mkdir(root, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'ENOTDIR'
          ? 'a file stands where one of its parent folders should be'
          : error.code === 'EROFS'
            ? 'it would be on a read-only file system'
            : `the folder above it is not writable (${error.code})`;
      throw fail(
        `cannot be made: ${why}`,
        error,
        error.code === 'EACCES' || error.code === 'EPERM' ? fixOwner(dirname(root)) : elsewhere,
      );
    });
    return;
  }
  await access(root, constants.W_OK | constants.X_OK).catch((error: NodeJS.ErrnoException) => {
    throw fail(
      error.code === 'EROFS' ? 'is on a read-only file system' : 'is not writable by this user',
      error,
      error.code === 'EROFS' ? elsewhere : fixOwner(root),
    );
  });
}
