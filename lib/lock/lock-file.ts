// The lock file itself: created whole or not at all, read without following links, and removed
// only by whoever holds its breaker (`<lock>.break`), so that a release and a takeover, or two
// takeovers, never remove a lock that someone else has just taken.
import { constants } from 'node:fs';
import { lstat, unlink, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, KubenetError, fromSystemError } from '../errors.js';
import { openOwnFile, ownFileStats } from '../fs/no-follow.js';
import { HolderJudge, type SeenLock } from './holder-gone.js';
import { parseOwner, type LockOwner } from './lock-owner.js';

const { O_CREAT, O_EXCL, O_RDONLY, O_WRONLY } = constants;

// The file with `owner` in it, if no lock exists yet; undefined when one does. O_EXCL never
// follows a link: a planted one counts as an existing lock, and inspect() refuses it.
export async function createLockFile(
  path: string,
  owner: LockOwner,
): Promise<{ handle: FileHandle; ino: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await openOwnFile(path, O_WRONLY | O_CREAT | O_EXCL, 'lock');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw cannotCreate(path, error);
  }
  try {
    await handle.writeFile(JSON.stringify(owner));
    return { handle, ino: (await handle.stat()).ino };
  } catch (error) {
    const { ino } = await handle.stat();
    await handle.close();
    await unlinkIfSame(path, ino); // just made, never held: ours to remove
    throw cannotCreate(path, error);
  }
}

function cannotCreate(path: string, error: unknown): unknown {
  if (error instanceof KubenetError) return error; // a link where the lock belongs
  const system = fromSystemError(error);
  return new KubenetError(`cannot create the lock ${path}: ${system?.message ?? (error as Error).message}`, {
    code: system?.code ?? ExitCode.locked,
    cause: error,
    hint: system?.hint ?? 'Check that the images folder is writable.',
  });
}

// What is at `path` now: its owner (undefined when torn or unnamed), inode and heartbeat.
export async function inspect(path: string): Promise<SeenLock | undefined> {
  if (!(await ownFileStats(path, 'lock'))) return undefined;
  let handle: FileHandle;
  try {
    handle = await openOwnFile(path, O_RDONLY, 'lock');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // released meanwhile
    throw error;
  }
  try {
    const [stats, text] = await Promise.all([handle.stat(), handle.readFile({ encoding: 'utf8' })]);
    return { owner: parseOwner(text.slice(0, 4096)), ino: stats.ino, mtimeMs: stats.mtimeMs };
  } finally {
    await handle.close();
  }
}

export async function unlinkIfSame(path: string, ino: number, mtimeMs?: number): Promise<boolean> {
  const now = await lstat(path).catch(() => undefined);
  if (!now || now.ino !== ino || (mtimeMs !== undefined && now.mtimeMs !== mtimeMs)) return false;
  await unlink(path).catch(() => undefined);
  return true;
}

// Runs `change` while holding `<lock>.break`, if that can be had within `patienceMs`; returns
// whether it ran. A breaker lives for milliseconds: one whose holder is gone is removed at once.
export async function underBreaker(
  path: string,
  me: LockOwner,
  timing: { staleMs: number; confirmMs: number },
  patienceMs: number,
  change: () => Promise<void>,
): Promise<boolean> {
  const breaker = `${path}.break`;
  const judge = new HolderJudge({ staleMs: timing.staleMs, confirmMs: 0 });
  const giveUpAt = performance.now() + patienceMs;
  for (;;) {
    const held = await createLockFile(breaker, me);
    if (held) {
      try {
        await change();
        return true;
      } finally {
        await held.handle.close();
        await unlinkIfSame(breaker, held.ino);
      }
    }
    const seen = await inspect(breaker);
    if (seen && judge.judge(seen).state === 'gone') await unlinkIfSame(breaker, seen.ino, seen.mtimeMs);
    else if (performance.now() > giveUpAt) return false;
    else await sleep(5);
  }
}
