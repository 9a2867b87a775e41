// A file of kubenet's under images/ by its name there (cloud-init/user-data.worker, tapup.sh):
// its folders are kubenet's own, it is written whole and only when its content or mode changes
// (or, with `keep`, only when missing: a file the learner edits), and read without following a link.
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { ownDir, ownDirExists, ownFile, readOwn } from './no-follow.js';

export async function writeOwnFile(
  root: string,
  file: string,
  text: string,
  { mode = 0o644, keep = false } = {},
): Promise<boolean> {
  const path = resolve(root, file); // named relative to images/ (context.ts checked it stays inside)
  await ownDir(root, dirname(path));
  const stats = await ownFile(path);
  if (stats && keep) return false;
  if (stats && (stats.mode & 0o777) === mode && (await readOwn(path))?.toString('utf8') === text) return false;
  await writeFileAtomic(path, text, { root, mode });
  return true;
}

export async function readOwnText(root: string, file: string): Promise<string | undefined> {
  const path = resolve(root, file);
  if (!(await ownDirExists(root, dirname(path)))) return undefined; // a link in place of a folder is refused
  return (await readOwn(path))?.toString('utf8');
}
