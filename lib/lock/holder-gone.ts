// May a lock be taken over? Only when its holder is gone, and only by evidence:
// - on this machine (same pid namespace), its pid has exited or now names another process;
// - anywhere else (another host, another container, or a holder that left no name), its heartbeat
//   (the lock file's mtime) is older than `staleMs` and does not move while this waiter watches it
//   for `confirmMs` more — so a clock that differs between hosts cannot make a live lock look dead.
import { thisMachine, type LockOwner } from './lock-owner.js';
import { processAlive, processState } from '../process/pid-state.js';

export interface SeenLock {
  owner: LockOwner | undefined;
  ino: number;
  mtimeMs: number;
}

export type Judgement =
  | { state: 'live' }
  | { state: 'stopped'; pid: number } // alive on this machine, but suspended: it will not let go by itself
  | { state: 'gone'; why: string }
  | { state: 'suspect'; why: string; confirmInMs: number }; // gone unless the heartbeat moves

export class HolderJudge {
  private watched: { key: string; since: number } | undefined;

  constructor(private readonly timing: { staleMs: number; confirmMs: number }) {}

  judge(seen: SeenLock): Judgement {
    const owner = seen.owner;
    if (owner && owner.machine === thisMachine()) {
      const state = processState(owner.pid);
      if (!processAlive(owner.pid) || state?.zombie) return { state: 'gone', why: `pid ${owner.pid} has exited` };
      if (owner.processStart && state && state.start !== owner.processStart)
        return { state: 'gone', why: `pid ${owner.pid} now belongs to another process` };
      if (owner.processStart && state?.stopped) return { state: 'stopped', pid: owner.pid };
      if (owner.processStart && state) return { state: 'live' }; // that very process: its heartbeat does not matter
    }
    const age = Date.now() - seen.mtimeMs;
    if (age <= this.timing.staleMs) {
      this.watched = undefined;
      return { state: 'live' };
    }
    const key = `${seen.ino}:${seen.mtimeMs}`;
    if (this.watched?.key !== key) this.watched = { key, since: performance.now() };
    const watchedFor = performance.now() - this.watched.since;
    const why = `its heartbeat stopped ${Math.round(age / 1000)} s ago`;
    if (watchedFor >= this.timing.confirmMs) return { state: 'gone', why };
    return { state: 'suspect', why, confirmInMs: this.timing.confirmMs - watchedFor };
  }
}
