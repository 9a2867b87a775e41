// kubenet writes only files it made itself. Where it expects its own file or folder under images/
// (a disk, the seed, a partial download, a record, a lock), a symbolic link — or anything but a
// plain file or folder — is refused by name, never followed: a link planted there must not let a
// run create, truncate, fill, chmod or read a file elsewhere. Only images/ itself may be a link
// (a user's own folder on another disk).
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';

// O_NOFOLLOW where the platform has it (Linux, macOS): opening a link fails instead of following it.
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

const kindOf = (s: Stats) => (s.isSymbolicLink() ? 'a symbolic link' : s.isDirectory() ? 'a folder' : s.isFile() ? 'a file' : 'a special file');
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
  return new KubenetError(`${path} is ${found} where kubenet keeps its own ${own}${target}: refusing to write through it or use it`, {
    code: ExitCode.host,
    hint: hint ?? `remove it (rm ${JSON.stringify(path)}) and run again; kubenet makes its own in its place (to keep images on another disk, link the whole images folder or pass --images DIR)`,
    ...(cause === undefined ? {} : { cause }),
  });
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

// Makes `dir` and every folder between `root` and it, each a real folder (not a link to one
// elsewhere). `root` itself may be a link.
export async function ownDir(root: string, dir: string): Promise<void> {
  const rel = relative(root, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${dir} is not inside ${root}`);
  await mkdir(root, { recursive: true });
  let at = root;
  for (const part of rel.split(sep).filter(Boolean)) {
    at = join(at, part);
    await mkdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const stats = await lstat(at);
    if (!stats.isDirectory()) throw notOurs(at, kindOf(stats), 'folder', `remove or rename it (rm ${JSON.stringify(at)}) and run again; kubenet makes its own folder there`);
  }
}

// Opens a file of kubenet's own without following a link at its name (`flags` as numbers:
// constants.O_WRONLY | O_CREAT …). A link, or anything but a plain file, there is refused by name.
export async function openOwnFile(path: string, flags: number, own = 'file', mode = 0o644, hint?: string): Promise<FileHandle> {
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
export const openOwn = (path: string, flags: number, mode = 0o644, hint?: string): Promise<FileHandle> => openOwnFile(path, flags, 'file', mode, hint);

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
