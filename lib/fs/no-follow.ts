// kubenet never reads or writes its own files in images/ through a symbolic link: a link planted
// where a partial download, a record or a lock belongs would make it write somewhere else. Such a
// link is refused with an error naming it. (images/ itself may be a link: the user chose it.)
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, readlink, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';

// O_NOFOLLOW: opening a symbolic link fails (ELOOP) instead of opening what it points to.
export const noFollow = constants.O_NOFOLLOW ?? 0;

// The error for a path that is not kubenet's own regular file (or folder), saying what is there.
export function notOwnFile(path: string, role: string, stats: Stats | undefined, target?: string): KubenetError {
  const what = !stats || stats.isSymbolicLink() ? `a symbolic link${target ? ` to ${target}` : ''}` : stats.isDirectory() ? 'a folder' : 'not a regular file';
  return new KubenetError(`refusing to use ${path}: it is ${what}, where kubenet keeps its own ${role}`, {
    code: ExitCode.host,
    hint: `kubenet never writes through links inside images/. Remove it (rm ${path}) and run again; to keep images on another disk, link the whole images folder or pass --images DIR.`,
  });
}

const linkTarget = (path: string) => readlink(path).catch(() => undefined);

// The stats of kubenet's own regular file at `path`, undefined when there is none; a link or
// anything else there is refused.
export async function ownFileStats(path: string, role: string): Promise<Stats | undefined> {
  let stats: Stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (stats.isFile()) return stats;
  throw notOwnFile(path, role, stats, stats.isSymbolicLink() ? await linkTarget(path) : undefined);
}

// The same, synchronously, for the write path that stays synchronous (file-sink.ts).
export function ownFileStatsSync(path: string, role: string): Stats | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (stats.isFile()) return stats;
  throw notOwnFile(path, role, stats);
}

// Opens kubenet's own file without following a link; `flags` are numeric (O_* constants).
export async function openOwnFile(path: string, flags: number, role: string, mode = 0o644): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags | noFollow, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw notOwnFile(path, role, undefined, await linkTarget(path));
    throw error;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw notOwnFile(path, role, stats);
  }
  return handle;
}

export function openOwnFileSync(path: string, flags: number, role: string, mode = 0o644): number {
  let fd: number;
  try {
    fd = openSync(path, flags | noFollow, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw notOwnFile(path, role, undefined);
    throw error;
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw notOwnFile(path, role, stats);
  }
  return fd;
}

// Makes `dir` (inside `root`) and every folder between them, refusing a link on the way: kubenet's
// own folders (.kubenet, its locks and records) are real folders. `root` itself may be a link.
export async function ownDir(root: string, dir: string): Promise<void> {
  await mkdir(root, { recursive: true });
  const rel = relative(root, dir);
  if (rel === '' || rel.startsWith('..')) return;
  let at = root;
  for (const part of rel.split(sep)) {
    at = join(at, part);
    try {
      await mkdir(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stats = await lstat(at);
    if (!stats.isDirectory()) throw notOwnFile(at, 'folder', stats, stats.isSymbolicLink() ? await linkTarget(at) : undefined);
  }
}
