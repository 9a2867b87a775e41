// Who holds a lock, as written in the lock file, and how this process describes itself there.
// `machine` names the pid namespace (Linux: boot id and pid namespace), so a pid is only ever
// judged where it means something: not on another host, nor in another container that shares the
// folder, even one with the same hostname. `processStart` tells a live holder from a process that
// got its pid later.
import { readFileSync, readlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { processState } from '../process/pid-state.js';

export interface LockOwner {
  pid: number;
  host: string; // for people: hostname()
  machine: string; // for the pid check: where `pid` means this process
  processStart?: string; // Linux: start time of `pid` in clock ticks since boot
  startedAt: number; // when it took the lock (ms since the epoch)
  what: string; // "downloading jammy-server-cloudimg-arm64.img", "running ubuntu0"
  token: string; // unique per acquisition
}

let machine: string | undefined;

export function thisMachine(): string {
  machine ??= linuxMachine() ?? `host:${hostname()}`;
  return machine;
}

function linuxMachine(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return undefined;
  }
}

export function ownerRecord(what: string): LockOwner {
  const start = processState(process.pid)?.start;
  return {
    pid: process.pid,
    host: hostname(),
    machine: thisMachine(),
    ...(start ? { processStart: start } : {}),
    startedAt: Date.now(),
    what,
    token: randomBytes(8).toString('hex'),
  };
}

// A lock file's text as an owner; undefined when torn, empty (its writer may be writing it now) or
// not one ownerRecord() writes.
export function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    const named = typeof owner?.pid === 'number' && typeof owner.host === 'string' && typeof owner.machine === 'string';
    if (
      !named ||
      typeof owner.startedAt !== 'number' ||
      typeof owner.what !== 'string' ||
      typeof owner.token !== 'string'
    )
      return undefined;
    return owner as LockOwner;
  } catch {
    return undefined;
  }
}

// "pid 123 on buildhost (downloading x.img since 12:01:02)"
export function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'a process that left no name';
  const where = owner.host === hostname() ? '' : ` on ${owner.host}`;
  const since = owner.startedAt ? ` since ${new Date(owner.startedAt).toLocaleTimeString('en-GB')}` : '';
  return `pid ${owner.pid}${where} (${owner.what}${since})`;
}
