// kubenet writes only files it made itself. Where it expects its own file or folder under images/,
// a symbolic link (or anything but a plain file or folder) is refused by name, never followed: a
// link planted there must not let a run create, truncate, fill or chmod a file elsewhere. Only
// images/ itself may be a link (a user's own folder on another disk).
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';

const kindOf = (s: Stats) => (s.isSymbolicLink() ? 'a symbolic link' : s.isDirectory() ? 'a folder' : s.isFile() ? 'a file' : 'a special file');

// The one error for "something else stands where kubenet keeps its own file or folder".
export function notOurs(path: string, found: string, expected: 'file' | 'folder', hint?: string, cause?: unknown): KubenetError {
  return new KubenetError(`${path} is ${found} where kubenet keeps its own ${expected}: refusing to write through it or use it`, {
    code: ExitCode.host,
    hint: hint ?? `remove it (rm ${JSON.stringify(path)}) and run again; kubenet makes its own in its place`,
    ...(cause === undefined ? {} : { cause }),
  });
}

// The lstat of kubenet's own plain file at `path`, or undefined when there is none; a link, a
// folder or a device there is refused. The folders above must have been checked (ownDir).
export async function ownFile(path: string, hint?: string): Promise<Stats | undefined> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stats && !stats.isFile()) throw notOurs(path, kindOf(stats), 'file', hint);
  return stats;
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

// O_NOFOLLOW where the platform has it (Linux, macOS): opening a link fails instead of following it.
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

// Opens a file of kubenet's own without following a link at its name (`flags` as numbers:
// constants.O_WRONLY | O_CREAT …). A link there is refused by name.
export async function openOwn(path: string, flags: number, mode = 0o644, hint?: string): Promise<FileHandle> {
  try {
    return await open(path, flags | O_NOFOLLOW, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Linux says ELOOP for a link under O_NOFOLLOW; with O_CREAT | O_EXCL any existing name is EEXIST.
    if (code === 'ELOOP' || code === 'EMLINK') throw notOurs(path, 'a symbolic link', 'file', hint, error);
    throw error;
  }
}

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
