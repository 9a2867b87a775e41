// One lock for downloads and VMs, across processes, containers and hosts that share images/.
// The lock is a file created with O_EXCL (never through a link) naming its holder: pid, host, what
// it does. The holder keeps it alive with a heartbeat: it refreshes the file's mtime every
// `heartbeatMs` through its open descriptor. A waiter takes the lock over only when the holder is
// gone (holder-gone.ts): at once when its pid has exited or was reused on this machine, else when
// the heartbeat has stopped for `staleMs` and stays still for `confirmMs` more. A waiter says whom
// it waits for and how to break the lock; a VM lock does not wait at all (`wait: false`).
import { lstat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, KubenetError } from '../errors.js';
import { HolderJudge } from './holder-gone.js';
import { createLockFile, inspect, underBreaker, unlinkIfSame } from './lock-file.js';
import { describeOwner, ownerRecord, thisMachine, type LockOwner } from './lock-owner.js';

export interface LockTiming {
  pollMs: number; // how often a waiter looks again
  heartbeatMs: number; // how often the holder refreshes the lock's mtime
  staleMs: number; // a heartbeat older than this is suspect…
  confirmMs: number; // …and gone once it has not moved for this long more
  remindMs: number; // a waiter repeats whom it waits for this often
  stoppedMs: number; // a holder suspended (Ctrl-Z, SIGSTOP) this long makes a waiter give up
}

// Documented in docs/guarantees.md ("Downloads and locks: guarantees and bounds").
export const lockTiming: LockTiming = {
  pollMs: 500,
  heartbeatMs: 5_000,
  staleMs: 30_000,
  confirmMs: 10_000,
  remindMs: 60_000,
  stoppedMs: 60_000,
};

export interface LockOptions {
  what: string; // what the holder does, for waiters: "downloading jammy-server-cloudimg-arm64.img"
  wait: boolean; // false: a live holder is a LockBusy error at once
  signal?: AbortSignal;
  log?: (line: string) => void;
  timing?: Partial<LockTiming>;
}

export interface HeldLock {
  path: string;
  waited: boolean; // another process held it first
  lost: AbortSignal; // aborts if another process took it over (this one stopped its heartbeat too long)
  release(): Promise<void>;
}

// A live process holds the lock and the caller would not wait.
export class LockBusy extends KubenetError {
  constructor(
    readonly path: string,
    readonly owner: LockOwner | undefined,
    timing: LockTiming,
  ) {
    super(`${path} is held by ${describeOwner(owner)}`, {
      code: ExitCode.locked,
      hint: breakHint(path, owner, timing),
    });
  }
}

export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const timing = { ...lockTiming, ...options.timing };
  const me = ownerRecord(options.what);
  const judge = new HolderJudge(timing);
  const startedAt = performance.now();
  let waited = false;
  let toldAt: number | undefined;
  let toldSuspect = false;
  let stoppedSince: number | undefined; // the holder is suspended, seen so since then
  for (;;) {
    const created = await createLockFile(path, me);
    if (created) return holding(path, created, me, timing, waited);
    const seen = await inspect(path);
    if (!seen) continue; // released meanwhile
    const verdict = judge.judge(seen);
    if (verdict.state === 'gone') {
      if (
        await underBreaker(path, me, timing, timing.pollMs, () =>
          unlinkIfSame(path, seen.ino, seen.mtimeMs).then(() => undefined),
        )
      ) {
        options.log?.(`took over the lock ${path} from ${describeOwner(seen.owner)}: ${verdict.why}`);
      }
      continue;
    }
    if ((verdict.state === 'live' || verdict.state === 'stopped') && !options.wait)
      throw new LockBusy(path, seen.owner, timing);
    waited = true;
    const now = performance.now();
    if (verdict.state === 'stopped') {
      const resume = `resume it (fg in its terminal, or kill -CONT ${verdict.pid}) or end it (kill ${verdict.pid})`;
      if (stoppedSince === undefined) {
        stoppedSince = now;
        options.log?.(
          `${describeOwner(seen.owner)} holds ${path} but is stopped (suspended: Ctrl-Z or SIGSTOP), ` +
            `so it cannot finish: ${resume}; waiting ${Math.round(timing.stoppedMs / 1000)} s for that`,
        );
      } else if (now - stoppedSince >= timing.stoppedMs) {
        throw new KubenetError(
          `${describeOwner(seen.owner)} has been stopped for ` +
            `${Math.round((now - stoppedSince) / 1000)} s holding ${path}: gave up waiting`,
          {
            code: ExitCode.locked,
            hint: `${resume[0]!.toUpperCase()}${resume.slice(1)}, then run again.`,
          },
        );
      }
    } else if (stoppedSince !== undefined) {
      stoppedSince = undefined;
      toldAt = undefined;
      options.log?.(`${describeOwner(seen.owner)} was resumed; waiting for it as long as it works`);
    }
    if (verdict.state === 'suspect' && !toldSuspect) {
      toldSuspect = true;
      options.log?.(
        `the lock ${path} of ${describeOwner(seen.owner)} looks abandoned (${verdict.why}); ` +
          `taking it over in ${Math.ceil(verdict.confirmInMs / 1000)} s unless it moves`,
      );
    } else if (
      verdict.state === 'live' &&
      (toldAt === undefined || now - toldAt >= timing.remindMs) &&
      stoppedSince === undefined
    ) {
      const after = toldAt === undefined ? '' : ` (${Math.round((now - startedAt) / 60_000)} min so far)`;
      toldAt = now;
      options.log?.(`waiting for ${describeOwner(seen.owner)}${after}; ${breakHint(path, seen.owner, timing)}`);
    }
    try {
      await sleep(timing.pollMs, undefined, { signal: options.signal });
    } catch (cause) {
      throw new KubenetError(`interrupted while waiting for ${describeOwner(seen.owner)} to release ${path}`, {
        code: ExitCode.interrupted,
        cause,
      });
    }
  }
}

// How to break a lock by hand, and whether kubenet will by itself.
export function breakHint(path: string, owner: LockOwner | undefined, timing: LockTiming): string {
  if (owner && owner.machine === thisMachine()) return `if pid ${owner.pid} is not a kubenet, remove ${path}`;
  return (
    `if no kubenet runs there any more, remove ${path} (it is taken over anyway once ` +
    `its heartbeat has stopped for ${(timing.staleMs + timing.confirmMs) / 1000} s)`
  );
}

// The held lock: a heartbeat through the open descriptor, which also notices a takeover.
function holding(
  path: string,
  created: { handle: FileHandle; ino: number },
  owner: LockOwner,
  timing: LockTiming,
  waited: boolean,
): HeldLock {
  const { handle, ino } = created;
  const lost = new AbortController();
  let beating: Promise<void> = Promise.resolve();
  const beat = async () => {
    const now = new Date();
    await handle.utimes(now, now);
    const current = await lstat(path).catch(() => undefined);
    if (current?.ino !== ino) {
      clearInterval(timer);
      lost.abort(
        new KubenetError(`lost the lock ${path}: another kubenet took it over while this one was stalled`, {
          code: ExitCode.locked,
          hint:
            `Its heartbeat had stopped for over ${(timing.staleMs + timing.confirmMs) / 1000} ` +
            `s (a suspended process or machine?). Run again once the other one is done.`,
        }),
      );
    }
  };
  const timer = setInterval(() => void (beating = beating.then(beat).catch(() => undefined)), timing.heartbeatMs);
  timer.unref();
  let released: Promise<void> | undefined;
  const release = async () => {
    clearInterval(timer);
    await beating;
    // Under the breaker; if that cannot be had (stuck, or no room on a full disk to write it), ours is still ours.
    const removed = await underBreaker(path, owner, timing, 2_000, () =>
      unlinkIfSame(path, ino).then(() => undefined),
    ).catch(() => false);
    if (!removed) await unlinkIfSame(path, ino);
    await handle.close();
  };
  return { path, waited, lost: lost.signal, release: () => (released ??= release()) };
}
