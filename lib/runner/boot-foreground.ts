// The VMs of a boot in the foreground, started in turn (start-in-turn.ts) and supervised together:
// a VM that fails stops the others; Ctrl-C powers them all off. With --until, each VM's console
// must match (or its readiness hold), and every VM keeps running until all have — their guests
// may be waiting for each other. One VM gets the terminal, as the guide's command does: its
// console there (kubenet attaches it: Ctrl-] leaves, the VM runs on) or in QEMU's window, or
// headless, saying how to reach it and stop it. Several run headless, each said by its name.
import { setTimeout as sleep } from 'node:timers/promises';
import { attachConsole } from '../vm/attach-console.js';
import { runVm, type RunVmResult } from '../vm/index.js';
import { readPid } from '../vm/process-probe.js';
import type { ConsoleMode } from '../qemu/console-mode.js';
import type { BootPlan, BootVm } from './boot-plan.js';
import { bounded } from './boot-wait.js';
import type { RunEnv } from './run-env.js';
import { bootFailure, startInTurn, vmRun } from './start-in-turn.js';

export async function runInForeground(env: RunEnv, plan: BootPlan): Promise<void> {
  const { task, vms, several, boot, step } = plan;
  const say = (line: string) => env.reporter.note(task, line);
  const waited = vms[0]!.wait.until !== undefined || vms[0]!.wait.ready !== undefined;
  const what = boot.until === 'ssh' ? 'sshd took a login' : `the console matched ${vms[0]!.wait.until}`;
  let releaseAll!: () => void;
  const allMatched = new Promise<void>((resolve) => (releaseAll = resolve));
  const matched = new Set<string>();
  const since = performance.now();
  const { failure, started } = await startInTurn(env, plan, async (b, signal) => {
    const onMatch = () => {
      matched.add(b.vm);
      const after = seconds(performance.now() - since);
      if (several) say(`${b.vm}: ${what} after ${after} s (${matched.size} of ${vms.length})`);
      if (matched.size === vms.length) releaseAll();
    };
    const wait = waited ? { timeoutMs: boot.timeoutMs, ...(several ? { release: allMatched } : {}) } : {};
    const run = runOne(env, plan, b, { signal, onMatch, ...wait });
    if (several && !waited && step.ready) void announceReady(env, plan, b, signal);
    const result = await run;
    if (!several) say(oneEnded(b, result));
  });
  if (failure !== undefined || started === 0) throw bootFailure(plan, failure);
  const secs = seconds(performance.now() - since);
  if (!several) return;
  const all = `all ${vms.length} VMs`;
  say(waited ? `${all}: ${what} within ${secs} s; all shut down` : `${all} stopped after ${secs} s`);
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

interface RunOptions {
  signal: AbortSignal;
  onMatch(): void;
  timeoutMs?: number;
  release?: Promise<unknown>;
}

// One VM in the foreground. Several: headless, each said by its name as it starts. One: its
// console said first, then the terminal is QEMU's or kubenet's attached to the console's socket.
function runOne(env: RunEnv, plan: BootPlan, b: BootVm, options: RunOptions): Promise<RunVmResult> {
  const say = (line: string) => env.reporter.note(plan.task, line);
  const { serialLog, consoleSocket } = b.controlled;
  if (plan.several) {
    const ip = b.ctx.machine?.ip ? ` (${b.ctx.machine.ip})` : '';
    say(`starting ${b.vm}${ip}; its serial console goes to ${serialLog}`);
    return runVm({ ...vmRun(env, plan, b), interactive: false, ...options });
  }
  const { mode } = plan;
  const attach = mode === 'terminal' && consoleSocket !== undefined ? consoleSocket : undefined;
  const quiet = mode === 'headless' && !b.wait.until && !b.wait.ready; // runs until stopped: say how
  say(consoleLine(mode, serialLog, attach !== undefined));
  if (mode !== 'headless') env.reporter.release();
  return runVm({
    ...vmRun(env, plan, b),
    ...options,
    interactive: mode !== 'headless' && attach === undefined,
    console: mode,
    ...(quiet ? { started: () => runningNotes(env, plan, b) } : {}),
    ...(attach ? { started: () => void attachTerminal(env, plan.task, b.vm, attach) } : {}),
  });
}

// How one VM's foreground run ended: what it waited for, and when; or QEMU's exit.
function oneEnded(b: BootVm, result: RunVmResult): string {
  const { matched, exitCode, elapsedMs, matchedAfterMs } = result;
  if (matched === undefined) return `${b.vm} exited (code ${exitCode ?? 'killed'}) after ${seconds(elapsedMs)} s`;
  const what = b.wait.ready ? `${b.wait.ready.what}: it did` : `serial console matched ${b.wait.until}`;
  return `${what} after ${seconds(matchedAfterMs ?? elapsedMs)} s; ${b.vm} shut down`;
}

// Several VMs without --until, of a step with a readiness: each reported once it is up.
async function announceReady(env: RunEnv, plan: BootPlan, b: BootVm, signal: AbortSignal): Promise<void> {
  const { timeoutMs } = plan.boot;
  try {
    const how = await Promise.race([
      bounded(plan.step.ready!(b.ctx), timeoutMs, 'not up'),
      sleep(timeoutMs + 1000, undefined, { signal }).then(() => ''),
    ]);
    env.reporter.note(plan.task, `${b.vm} is up: ${how}`);
  } catch (error) {
    if (!signal.aborted) env.reporter.note(plan.task, `${b.vm}: ${(error as Error).message}`);
  }
}

// One VM headless with nothing to wait for runs until it is stopped: how to reach it and stop it.
function runningNotes(env: RunEnv, plan: BootPlan, { vm, seeded, controlled }: BootVm): void {
  const say = (line: string) => env.reporter.note(plan.task, line);
  const port = controlled.sshPort === undefined ? '' : ` (127.0.0.1:${controlled.sshPort} → guest port 22)`;
  const login = `kubenet ssh${vm === 'ubuntu0' ? '' : ` ${vm}`}`;
  if (seeded) say(`log in: ${login}${port}; it waits for sshd while cloud-init runs`);
  say(`serial console: ${controlled.serialLog}`);
  const ways = `Ctrl-C here, kubenet stop ${vm}, or kill -INT ${process.pid}`;
  say(`stop it: ${ways} (kubenet powers the guest off, then exits)`);
}

// This terminal on the VM's console until Ctrl-] (or the VM stops): then the VM runs on here,
// headless, until Ctrl-C, kubenet stop, or its power-off; kubenet console comes back to it.
async function attachTerminal(env: RunEnv, task: string, vm: string, socket: string): Promise<void> {
  const io = { input: process.stdin, output: process.stdout };
  try {
    const end = await attachConsole(env.paths, vm, socket, io, { attached: () => undefined, waitMs: 10_000 });
    const back = `kubenet console ${vm} comes back to it, Ctrl-C here (or kubenet stop ${vm}) powers it off`;
    if (end === 'left') env.reporter.note(task, `\r\nleft ${vm}'s console; it runs on here: ${back}`);
  } catch (error) {
    // QEMU waits for this connection before it runs the VM: it goes, and the run says why.
    env.reporter.note(task, `${(error as Error).message}: ${vm} never ran; QEMU is stopped`);
    const pid = await readPid(env.paths.vmFile(vm, 'pid'));
    if (pid !== undefined) process.kill(pid, 'SIGTERM');
  }
}

// Said once, before QEMU takes the terminal: how to get out, and where the console is kept.
function consoleLine(mode: ConsoleMode, serialLog: string, attached: boolean): string {
  switch (mode) {
    case 'terminal': {
      const leave = attached ? 'Ctrl-] leaves it and the VM runs on (kubenet console comes back), ' : '';
      return (
        `console: this terminal is the VM's serial console now — ${leave}Ctrl-A X quits QEMU, ` +
        `Ctrl-A C switches to the monitor and back; a copy goes to ${serialLog}`
      );
    }
    case 'window':
      return (
        "console: QEMU's window (its View menu has the monitor and the serial console); closing it stops the VM; " +
        `a copy of the serial console goes to ${serialLog}`
      );
    case 'headless':
      return `console: none (headless); the serial console goes to ${serialLog}; Ctrl-C here powers the VM off`;
  }
}
