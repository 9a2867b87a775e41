// One download of a file at a time, across processes sharing an images/ folder.
// The lock is a file created with O_EXCL holding pid, host and start time. A second process waits
// and polls; a lock whose process is gone (same host, pid not alive) is taken over. Taking over
// happens under a short-lived "breaker" lock and only after re-reading that the dead pid still
// holds it, so two waiters never both break it and never remove a live lock.
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, KubenetError } from '../errors.js';

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
  what: string;
}

export interface Lock {
  release(): Promise<void>;
  waited: boolean; // another process held it first
}

export interface LockOptions {
  what: string; // "downloading jammy-server-cloudimg-arm64.img"
  pollMs: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export async function acquireLock(path: string, options: LockOptions): Promise<Lock> {
  await mkdir(dirname(path), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: Date.now(), what: options.what };
  let told = false;
  let waited = false;
  for (;;) {
    if (await createExclusive(path, me)) return { waited, release: () => releaseLock(path, me) };
    const raw = await readRaw(path);
    const owner = parseOwner(raw);
    if ((owner && isDead(owner)) || (!owner && raw !== undefined && (await olderThan(path, emptyLockMs)))) {
      await breakStale(path, raw ?? '');
      continue;
    }
    waited = true;
    if (!told && owner) {
      told = true;
      const where = owner.host === me.host ? '' : ` on ${owner.host}`;
      options.log?.(`waiting for pid ${owner.pid}${where} ${owner.what}`);
    }
    try {
      await sleep(options.pollMs, undefined, { signal: options.signal });
    } catch (cause) {
      throw new KubenetError(`interrupted while waiting for the lock ${path}`, { code: ExitCode.interrupted, cause });
    }
  }
}

async function createExclusive(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const file = await open(path, 'wx', 0o644);
    try {
      await file.writeFile(JSON.stringify(owner));
    } finally {
      await file.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new KubenetError(`cannot create the lock ${path}`, { code: ExitCode.locked, cause: error, hint: 'Check that images/ is writable.' });
  }
}

// A lock file may be empty for a moment (its creator is between open and write); one that stays
// empty this long was left by a process killed in that moment.
const emptyLockMs = 10_000;

async function readRaw(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseOwner(raw: string | undefined): LockOwner | undefined {
  try {
    const owner = JSON.parse(raw ?? '') as LockOwner;
    return typeof owner?.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

const readOwner = async (path: string) => parseOwner(await readRaw(path));

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

// Only a lock from this host can be judged: a pid on another machine means nothing here.
export function isDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function breakStale(path: string, stale: string): Promise<void> {
  const breaker = `${path}.break`;
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: Date.now(), what: 'recovering a stale lock' };
  if (!(await createExclusive(breaker, me))) {
    const other = await readOwner(breaker);
    if (other && isDead(other)) await rm(breaker, { force: true }); // killed inside this tiny window
    return;
  }
  try {
    if ((await readRaw(path)) === stale) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

async function releaseLock(path: string, me: LockOwner): Promise<void> {
  const owner = await readOwner(path);
  if (owner && owner.pid === me.pid && owner.startedAt === me.startedAt) await rm(path, { force: true });
}
