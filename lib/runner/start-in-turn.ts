// The VMs of a boot one after another, at a pace the host can take: each starts once the one
// before shows a first sign of life (its serial log has its first bytes: its firmware runs, and
// the host has taken the start of one VM before the next one adds to the load). The first failure
// stops those still starting or running, and so does the run's own signal (Ctrl-C); it is the one
// returned, the others came from it. Also what starting one VM takes, in the foreground or the
// background: its QEMU command with the files kubenet watches it through, and where its lines go.
import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureFirmwareVars } from '../disk/firmware-vars.js';
import { ExitCode, KubenetError, isKubenetError } from '../errors.js';
import { ownDir } from '../fs/no-follow.js';
import type { BootPlan, BootVm } from './boot-plan.js';
import type { RunEnv } from './run-env.js';

export interface InTurn {
  failure: unknown; // the first VM's failure, if one failed
  aborted: boolean; // by the failure, or the run's signal
  started: number; // how many VMs were started
}

// How long the next VM waits for the one before to show life on its console.
const startGapMs = 10_000;

// A real guest's systemd takes ~10 s to power off under emulation: one VM's gets that long before
// QMP quit (several VMs keep the default grace).
const tcgGraceMs = 30_000;

type Start = (b: BootVm, signal: AbortSignal) => Promise<void>;
export async function startInTurn(env: RunEnv, plan: BootPlan, start: Start): Promise<InTurn> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(env.signal.reason);
  env.signal.addEventListener('abort', onAbort, { once: true });
  if (env.signal.aborted) onAbort();
  const runs: Promise<void>[] = [];
  let failure: unknown;
  const failed = (error: unknown) => {
    failure ??= error;
    stop.abort(error);
  };
  try {
    for (const [i, b] of plan.vms.entries()) {
      if (stop.signal.aborted) break;
      try {
        await vmFiles(env, plan.task, b);
      } catch (error) {
        failed(error);
        break;
      }
      runs.push(start(b, stop.signal).catch(failed));
      if (i < plan.vms.length - 1) await firstLife(b.controlled.serialLog, stop.signal);
    }
    await Promise.all(runs);
  } finally {
    env.signal.removeEventListener('abort', onAbort);
  }
  return { failure, aborted: stop.signal.aborted, started: runs.length };
}

// A VM's folder, kubenet's own (never through a link), and its own UEFI variables.
async function vmFiles(env: RunEnv, task: string, b: BootVm): Promise<void> {
  const { paths } = env;
  await ownDir(paths.root, paths.vmDir(b.vm));
  const firmware = b.ctx.facts.firmware;
  if (firmware.mode !== 'pflash' || !firmware.vars) return;
  if (await ensureFirmwareVars(paths.root, firmware.vars, paths.vmFile(b.vm, 'efivars.fd'))) {
    env.reporter.detail(task, `UEFI variables for ${b.vm}: a copy of ${firmware.vars}`);
  }
}

// Waits (bounded) until the VM's serial log has its first bytes.
export async function firstLife(serialLog: string, signal: AbortSignal): Promise<void> {
  const until = performance.now() + startGapMs;
  while (performance.now() < until && !signal.aborted) {
    if (existsSync(serialLog) && statSync(serialLog).size > 0) return;
    await sleep(200);
  }
}

// What starting one VM takes (vm/run-vm.ts, vm/detach-vm.ts): its QEMU command with the files
// kubenet watches it through, what it waits for, and where its lines go — one VM's in the task's
// own lines (the serial console's with --verbose, when it is not on the terminal); several VMs'
// with --verbose, each under its name.
export function vmRun(env: RunEnv, plan: BootPlan, b: BootVm) {
  const { reporter, paths } = env;
  const { task } = plan;
  const { command, serialLog, qmpSocket, controlSocket, consoleSocket, sshPort } = b.controlled;
  const named = (line: string) => reporter.detail(task, `${b.vm}: ${line}`);
  const lines = plan.several
    ? { notice: named, detail: named, onLine: named }
    : {
        notice: (line: string) => reporter.note(task, line),
        detail: (line: string) => reporter.detail(task, line),
        progress: (text: string) => reporter.progress(task, text),
        ...(plan.mode === 'headless' ? { onLine: (line: string) => reporter.detail(task, `serial: ${line}`) } : {}),
      };
  return {
    vm: b.vm,
    command,
    cwd: paths.root,
    paths,
    serialLog,
    qmpSocket,
    controlSocket,
    ...(consoleSocket === undefined ? {} : { consoleSocket }),
    ...(sshPort === undefined ? {} : { sshPort }),
    ...b.wait,
    record: b.record,
    ...(b.ctx.facts.accel.accel === 'tcg' && !plan.several ? { graceMs: tcgGraceMs } : {}),
    ...lines,
  };
}

// How a boot that did not start (or not whole) fails: Ctrl-C before a VM started, or the first
// VM's failure — for several, one that is no KubenetError said as the cluster's.
export function bootFailure(plan: BootPlan, failure: unknown): unknown {
  if (failure === undefined) {
    const what = plan.several ? 'the cluster was' : `${plan.vms[0]!.vm} was`;
    return new KubenetError(`interrupted: ${what} not started`, { code: ExitCode.interrupted });
  }
  if (!plan.several || isKubenetError(failure)) return failure;
  const why = `a VM of the cluster failed: ${(failure as Error).message}`;
  return new KubenetError(why, { code: ExitCode.vm, cause: failure });
}
