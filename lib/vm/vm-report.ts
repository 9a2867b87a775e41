// What `kubenet status` says of each VM kubenet has a folder for (images/vm/<name>/): whether its
// QEMU runs, since when, the run state QEMU reports, the forwarded ssh port, the serial log, and
// who runs it. Reads only: a stale pid file is reported, and left for the next run (or stop).
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Paths } from '../paths.js';
import { readPid } from './process-probe.js';
import { queryRunState } from './query-run-state.js';
import { readRunRecord } from './run-record.js';
import { howItRuns, stopAdvice } from './stop-advice.js';
import { vmStatus } from './vm-status.js';

export interface VmReport {
  name: string;
  running: boolean;
  pid?: number;
  stalePid?: number; // not running, but its pid file names this (gone) QEMU
  uptimeSeconds?: number;
  runState?: string; // QMP query-status: running, paused, guest-panicked, …
  runStateError?: string; // why there is none: QMP did not answer in time, no control socket
  sshPort?: number; // 127.0.0.1:PORT reaches the guest's port 22
  serialLog: string;
  detached?: boolean;
  kubenetPid?: number; // the kubenet that started it (a foreground one runs it still, if alive)
  runs?: string; // in words: detached, run by kubenet pid N (…), …
  stopWith?: string; // how to stop it (stop-advice.ts)
}

// The VMs that exist: folders under images/vm/ of VMs that have been started (a serial log, or a
// pid file) — not every VM a step could boot, nor one whose seed alone was written. A link or a
// file there is not a VM's folder.
export async function vmNames(paths: Paths): Promise<string[]> {
  const entries = await readdir(paths.vms, { withFileTypes: true }).catch(() => []);
  const started = (vm: string) => ['serial.log', 'pid'].some((f) => existsSync(paths.vmFile(vm, f as 'pid')));
  return entries
    .filter((e) => e.isDirectory() && started(e.name))
    .map((e) => e.name)
    .sort();
}

export async function vmReport(paths: Paths, vm: string, { qmpMs = 2000 }: { qmpMs?: number } = {}): Promise<VmReport> {
  const serialLog = paths.vmFile(vm, 'serial.log');
  const status = await vmStatus(paths, vm);
  if (!status.running || status.pid === undefined) {
    const stale = await readPid(paths.vmFile(vm, 'pid'));
    return { name: vm, running: false, ...(stale === undefined ? {} : { stalePid: stale }), serialLog };
  }
  const [record, answer, port, pidStat] = await Promise.all([
    readRunRecord(paths, vm),
    queryRunState(paths.vmFile(vm, 'control.sock'), qmpMs),
    readFile(paths.vmFile(vm, 'ssh-port'), 'utf8').then(
      (text) => Number.parseInt(text, 10),
      () => Number.NaN,
    ),
    stat(paths.vmFile(vm, 'pid')).catch(() => undefined),
  ]);
  // Since QEMU started: the record says when; the pid file, written just before it, stands in when there is none.
  const since = record ? Date.parse(record.startedAt) : pidStat?.mtimeMs;
  return {
    name: vm,
    running: true,
    pid: status.pid,
    ...(since === undefined || Number.isNaN(since)
      ? {}
      : { uptimeSeconds: Math.max(0, Math.round((Date.now() - since) / 1000)) }),
    ...('state' in answer ? { runState: answer.state } : { runStateError: answer.error }),
    ...(Number.isInteger(port) ? { sshPort: port } : {}),
    serialLog,
    ...(record ? { detached: record.detached, kubenetPid: record.kubenet } : {}),
    runs: howItRuns(record),
    stopWith: stopAdvice(vm, record),
  };
}
