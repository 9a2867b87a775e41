// kubenet writes only files it made itself. Where it expects its own file or folder under images/
// (a disk, the seed, a partial download, a record, a lock), a symbolic link — or anything but a
// plain file or folder — is refused by name, never followed: a link planted there must not let a
// run create, truncate, fill, chmod or read a file elsewhere. Only images/ itself may be a link
// (a user's own folder on another disk).
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';

// O_NOFOLLOW where the platform has it (Linux, macOS): opening a link fails instead of following it.
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

const kindOf = (s: Stats) =>
  s.isSymbolicLink() ? 'a symbolic link' : s.isDirectory() ? 'a folder' : s.isFile() ? 'a file' : 'a special file';
const pointsTo = (path: string) => {
  try {
    return ` (it points to ${readlinkSync(path)})`;
  } catch {
    return '';
  }
};

// The one error for "something else stands where kubenet keeps its own file or folder".
// `own` names what kubenet keeps there: file, folder, partial download, download record, lock, …
export function notOurs(path: string, found: string, own: string, hint?: string, cause?: unknown): KubenetError {
  const target = found === 'a symbolic link' ? pointsTo(path) : '';
  return new KubenetError(
    `${path} is ${found} where kubenet keeps its own ${own}${target}: refusing to write through it or use it`,
    {
      code: ExitCode.host,
      hint:
        hint ??
        `remove it (rm ${JSON.stringify(path)}) and run again; kubenet makes its own in its place ` +
          `(to keep images on another disk, link the whole images folder or pass --images DIR)`,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

const plain = (path: string, stats: Stats | undefined, own: string, hint?: string): Stats | undefined => {
  if (stats && !stats.isFile()) throw notOurs(path, kindOf(stats), own, hint);
  return stats;
};
const missing = (error: NodeJS.ErrnoException) => {
  if (error.code === 'ENOENT') return undefined;
  throw error;
};

// The lstat of kubenet's own plain file at `path`, or undefined when there is none; a link, a
// folder or a device there is refused. The folders above must have been checked (ownDir).
export async function ownFile(path: string, hint?: string, own = 'file'): Promise<Stats | undefined> {
  return plain(path, await lstat(path).catch(missing), own, hint);
}

// The same, naming what kubenet keeps there (a partial download, a record, a lock).
export const ownFileStats = (path: string, own: string): Promise<Stats | undefined> => ownFile(path, undefined, own);

// The same, synchronously, for the write path that stays synchronous (download/file-sink.ts).
export function ownFileStatsSync(path: string, own: string): Stats | undefined {
  let stats: Stats | undefined;
  try {
    stats = lstatSync(path);
  } catch (error) {
    stats = missing(error as NodeJS.ErrnoException);
  }
  return plain(path, stats, own);
}

// The folders between `root` (exclusive) and `dir` (inclusive), outermost first. `root` itself
// may be a link (a user's own images folder on another disk); nothing below it may.
function foldersBelow(root: string, dir: string): string[] {
  const rel = relative(root, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${dir} is not inside ${root}`);
  let at = root;
  return rel
    .split(sep)
    .filter(Boolean)
    .map((part) => (at = join(at, part)));
}

const notAFolder = (at: string, stats: Stats) =>
  notOurs(
    at,
    kindOf(stats),
    'folder',
    `remove or rename it (rm ${JSON.stringify(at)}) and run again; kubenet makes its own folder there`,
  );

// Makes `dir` and every folder between `root` and it, each a real folder (not a link to one
// elsewhere): each is made one at a time and looked at without following it — what `mkdir -p`
// would follow is refused. `root` itself may be a link.
export async function ownDir(root: string, dir: string): Promise<void> {
  const folders = foldersBelow(root, dir);
  await mkdir(root, { recursive: true });
  for (const at of folders) {
    await mkdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const stats = await lstat(at);
    if (!stats.isDirectory()) throw notAFolder(at, stats);
  }
}

// Whether `dir` and every folder between `root` and it are there, without making any: false when
// one is missing; a link (or a file) in place of one is refused, as ownDir refuses it.
export async function ownDirExists(root: string, dir: string): Promise<boolean> {
  for (const at of [root, ...foldersBelow(root, dir)]) {
    const stats = await (at === root ? stat(at) : lstat(at)).catch(missing);
    if (!stats) return false;
    if (!stats.isDirectory()) throw notAFolder(at, stats);
  }
  return true;
}

// The same, synchronously (ssh-target.ts decides ssh's files synchronously).
export function ownDirExistsSync(root: string, dir: string): boolean {
  for (const at of [root, ...foldersBelow(root, dir)]) {
    let stats: Stats | undefined;
    try {
      stats = at === root ? statSync(at) : lstatSync(at);
    } catch (error) {
      stats = missing(error as NodeJS.ErrnoException);
    }
    if (!stats) return false;
    if (!stats.isDirectory()) throw notAFolder(at, stats);
  }
  return true;
}

// Files another program writes for kubenet (ssh's known_hosts, dnsmasq's leases and pid file):
// their folders are kubenet's own, made and checked, and a link — or anything but a plain file —
// at any of them stops the run before the program starts, which would follow it (as root, for
// dnsmasq). `program` names the writer in the error.
export async function ownFilesFor(root: string, files: readonly string[], program: string): Promise<void> {
  for (const file of files) {
    await ownDir(root, dirname(file));
    await ownFile(file, undefined, `file (${program} writes it)`);
  }
}

// Refuses a link at `path` (whatever else is there may be replaced: a stale socket).
export async function refuseLink(path: string, own: string): Promise<void> {
  if ((await lstat(path).catch(missing))?.isSymbolicLink()) throw notOurs(path, 'a symbolic link', own);
}

// Removes kubenet's own file (or, with `recursive`, folder) at `path` under `root`. The folders
// above it must be kubenet's own: one of them being a link stops the removal (rm would delete
// in the folder it points to); a link at `path` itself is removed, never what it points to.
export async function removeOwn(root: string, path: string, { recursive = false } = {}): Promise<void> {
  if (!(await ownDirExists(root, dirname(path)))) return; // a folder above is missing: nothing to remove
  await rm(path, { force: true, recursive });
}

// The path of `file` — named relative to `root`, as a task names its files (or whole, under it) —
// inside `root`. One that climbs out through '..', or lies elsewhere, is refused: a task's files
// are under images/.
export function inside(root: string, file: string, who = 'a task'): string {
  const path = resolve(root, file);
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new KubenetError(
      `${who} named the file ${JSON.stringify(file)}, which is not inside the images folder ${root}`,
      {
        code: ExitCode.usage,
        hint:
          'the files a task makes, writes, reads or removes are named relative ' +
          'to images/ (e.g. network/hosts), never absolute or through ..',
      },
    );
  }
  return path;
}

// Opens a file of kubenet's own without following a link at its name (`flags` as numbers:
// constants.O_WRONLY | O_CREAT …). A link, or anything but a plain file, there is refused by name.
export async function openOwnFile(
  path: string,
  flags: number,
  own = 'file',
  mode = 0o644,
  hint?: string,
): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags | O_NOFOLLOW, mode);
  } catch (error) {
    // Linux says ELOOP for a link under O_NOFOLLOW (some systems EMLINK).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw notOurs(path, 'a symbolic link', own, hint, error);
    throw error;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw notOurs(path, kindOf(stats), own, hint);
  }
  return handle;
}

export function openOwnFileSync(path: string, flags: number, own = 'file', mode = 0o644): number {
  let fd: number;
  try {
    fd = openSync(path, flags | O_NOFOLLOW, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw notOurs(path, 'a symbolic link', own, undefined, error);
    throw error;
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw notOurs(path, kindOf(stats), own);
  }
  return fd;
}

// A plain file of kubenet's own, opened without following a link; `hint` says what to do instead.
export const openOwn = (path: string, flags: number, mode = 0o644, hint?: string): Promise<FileHandle> =>
  openOwnFile(path, flags, 'file', mode, hint);

// The bytes of kubenet's own file, or undefined when there is none; a link is refused.
export async function readOwn(path: string, hint?: string): Promise<Buffer | undefined> {
  if (!(await ownFile(path, hint))) return undefined;
  const handle = await openOwn(path, constants.O_RDONLY, 0o644, hint);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
