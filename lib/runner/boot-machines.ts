// Boots the VMs of a step done for several (the guide's vmlaunchall.sh) in the foreground: each
// headless, its serial console in its own log, started one after another — the next once the
// one before has its firmware running — and supervised together. A VM that fails stops the
// others; Ctrl-C powers them all off. With --until, each VM's console must match, and every VM
// keeps running until all have (their guests may be waiting for each other); without it, each
// VM that comes up is reported with how to reach it, until Ctrl-C.
import { existsSync, statSync } from 'node:fs';
import { freemem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, KubenetError, isKubenetError } from '../errors.js';
import { ownDir } from '../fs/no-follow.js';
import { controlBoot, hasUserNic, type ControlledBoot } from '../qemu/boot-control.js';
import { formatChanges, formatCommand } from '../qemu/format-command.js';
import type { Step, TaskContext } from '../task/types.js';
import { vmControlFiles, type BootOptions } from './boot-step.js';
import { bootWait, type BootWait } from './boot-wait.js';
import { consent, withoutNeedlessSudo } from './root-commands.js';
import type { ConsoleWait } from '../kinds/words.js';
import { rootRunOf, type RunEnv } from './run-effects.js';
import { notRunning, startRecord } from './start-once.js';

interface Booting {
  ctx: TaskContext;
  vm: string;
  controlled: ControlledBoot;
  record: ReturnType<typeof startRecord>;
}

// How long the next VM waits for the one before to show life on its console.
const startGapMs = 10_000;

export async function bootMachines(env: RunEnv, all: readonly TaskContext[], step: Step, boot: BootOptions): Promise<void> {
  const { paths, reporter } = env;
  const task = all[0]!.task;
  if (boot.sshPort !== undefined && all.length > 1) {
    throw new KubenetError(`--ssh-port pins one VM's port, and ${step.name} starts ${all.length}`, { code: ExitCode.usage, hint: `name the VM: --vm ${all[0]!.vm} --ssh-port ${boot.sshPort}` });
  }
  // Those that run already are said so, first; the rest start.
  const looking = env.root?.preview !== undefined; // the run's first pass, collecting root commands
  const contexts = env.dryRun && !looking ? all : await notRunning(env, all, step, boot);
  if (contexts.length === 0) return;
  const booting: Booting[] = [];
  const taken: number[] = [];
  for (const ctx of contexts) {
    const vm = ctx.vm!;
    const guide = step.boot!(ctx).command;
    // Root-free, each VM's second NIC forwards a port of its own to its sshd.
    let sshPort: number | undefined;
    if (hasUserNic(guide)) {
      const { sshPortFor } = await import('../ssh/ssh-port.js');
      sshPort = (await sshPortFor(paths, vm, boot.sshPort, taken)).port;
      taken.push(sshPort);
    }
    const controlled = controlBoot(guide, { ...vmControlFiles(paths, vm), mode: 'headless', ...(sshPort === undefined ? {} : { sshPort }) });
    booting.push({ ctx, vm, controlled, record: startRecord(paths, vm, guide) });
  }
  // Consent to QEMU as root comes before the commands are printed: a refusal is not buried under them.
  const guides = booting.map((b) => step.boot!(b.ctx).command);
  const reason = guides.find((c) => c.sudo && c.sudoReason)?.sudoReason;
  if (reason && (!env.dryRun || looking)) await consent(rootRunOf(env, task), reason, guides);
  for (const guide of guides) reporter.print(formatCommand(withoutNeedlessSudo(guide)));
  reporter.print(`${formatChanges(booting[0]!.controlled.changes)}\n  (each VM alike, in its own folder vm/<name>/${booting[0]!.controlled.sshPort === undefined ? '' : ', with a port of its own'})`);
  if (env.dryRun) return;

  const facts = contexts[0]!.facts;
  if (facts.accel.accel === 'tcg') reporter.note(task, `no hardware acceleration: ${facts.accel.why}; accel=tcg and -cpu ${contexts[0]!.cpu} for every VM`);
  warnAboutMemory(env, task, contexts);
  const { wantsTmux, launchInTmux } = await import('./tmux-launch.js');
  const { which } = await import('../host/which.js');
  if (step.tmux && !boot.detach && wantsTmux({ tmux: which('tmux'), headless: boot.headless, until: boot.until, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) })) {
    return launchInTmux({
      env, step: { ...step, tmux: step.tmux }, contexts,
      firstLife: (log) => firstLife(log, env.signal),
      waitForSsh: (ctx) => (step.ready ? bounded(step.ready(ctx), boot.timeoutMs, `${ctx.vm} was not ready`) : Promise.resolve(ctx.vm!)),
    });
  }

  const waits = await Promise.all(booting.map((b) => waitOf(env, step, b, boot.until)));
  const waited = waits[0]!.until ?? waits[0]!.ready;
  const what = boot.until === 'ssh' ? 'sshd took a login' : `the console matched ${waits[0]!.until}`;
  if (boot.detach) return detachAll(env, booting, waits, boot);

  let releaseAll!: () => void;
  const allMatched = new Promise<void>((resolve) => (releaseAll = resolve));
  const matched = new Set<string>();
  const started = performance.now();
  const { failure } = await startInTurn(env, booting, (b, signal) => {
    reporter.note(task, `starting ${b.vm}${b.ctx.machine?.ip ? ` (${b.ctx.machine.ip})` : ''}; its serial console goes to ${b.controlled.serialLog}`);
    const run = launch(env, b, {
      signal,
      ...(waited ? { ...waits[booting.indexOf(b)], timeoutMs: boot.timeoutMs, release: allMatched } : {}),
      onMatch: () => {
        matched.add(b.vm);
        reporter.note(task, `${b.vm}: ${what} after ${((performance.now() - started) / 1000).toFixed(1)} s (${matched.size} of ${booting.length})`);
        if (matched.size === booting.length) releaseAll();
      },
    });
    if (!waited && step.ready) void announceReady(env, b, step, boot.timeoutMs, signal);
    return run;
  });
  if (failure !== undefined) throw wrapFailure(failure);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  reporter.note(task, waited ? `all ${booting.length} VMs: ${what} within ${secs} s; all shut down` : `all ${booting.length} VMs stopped after ${secs} s`);
}

// How a VM of the cluster is started in the foreground (detachAll below: in the background).
async function launch(env: RunEnv, b: Booting, options: BootWait & { signal: AbortSignal; timeoutMs?: number; release?: Promise<unknown>; onMatch: (text: string) => void }): Promise<void> {
  const { runVm } = await import('../vm/index.js');
  const task = b.ctx.task;
  await runVm({
    ...vmOf(env, b),
    interactive: false,
    ...options,
    onLine: (line: string) => env.reporter.detail(task, `${b.vm}: ${line}`),
  });
}

// What starting one VM of the cluster takes, in the foreground or the background: its QEMU
// command with the files kubenet watches it through, and its lines told under its name.
function vmOf(env: RunEnv, b: Booting) {
  const say = (line: string) => env.reporter.detail(b.ctx.task, `${b.vm}: ${line}`);
  const { command, serialLog, qmpSocket, controlSocket, consoleSocket, sshPort } = b.controlled;
  return {
    vm: b.vm, command, cwd: env.paths.root, paths: env.paths, serialLog, qmpSocket, controlSocket,
    ...(consoleSocket === undefined ? {} : { consoleSocket }), ...(sshPort === undefined ? {} : { sshPort }), record: b.record, notice: say, detail: say,
  };
}

// `--detach`: the VMs are started one after another as in the foreground, each to outlive
// kubenet, and each counts as up once its firmware prints (or its console matches --until, which
// the VMs may reach only together); then kubenet says how to reach them and exits. All or
// nothing: when one fails (or Ctrl-C), those still starting are stopped, and so are those up.
async function detachAll(env: RunEnv, booting: readonly Booting[], waits: readonly BootWait[], boot: BootOptions): Promise<void> {
  const { detachVm } = await import('../vm/detach-vm.js');
  const task = booting[0]!.ctx.task;
  const up: Booting[] = [];
  const { failure, aborted } = await startInTurn(env, booting, async (b, signal) => {
    const vm = await detachVm({ ...vmOf(env, b), ...waits[booting.indexOf(b)], timeoutMs: boot.timeoutMs, signal });
    up.push(b);
    env.reporter.note(task, `${b.vm}${b.ctx.machine?.ip ? ` (${b.ctx.machine.ip})` : ''} is up after ${(vm.readyAfterMs / 1000).toFixed(1)} s, pid ${vm.pid}; its serial console goes to ${b.controlled.serialLog}`);
  });
  if (failure !== undefined || aborted) {
    const { stopVm } = await import('../vm/stop-vm.js');
    for (const b of up.reverse()) {
      env.reporter.note(task, `stopping ${b.vm}: the cluster is started whole or not at all`);
      await stopVm(env.paths, b.vm).catch(() => undefined);
    }
    throw wrapFailure(failure ?? new KubenetError('interrupted: the cluster was not started', { code: ExitCode.interrupted }));
  }
  env.reporter.note(task, `all ${booting.length} VMs run in the background: kubenet ssh <vm> logs in, kubenet status shows them (and where ssh reaches them), kubenet stop --all stops them`);
}

// --until for each VM of the cluster: a regular expression its console must match, or `ssh`: the
// step's own readiness (its sshd takes kubenet's key, its host keys recorded) — on the bridge at
// the VM's address, root-free through the port forwarded to it.
async function waitOf(env: RunEnv, step: Step, b: Booting, until: ConsoleWait | undefined): Promise<BootWait> {
  const ready = step.ready;
  return bootWait(until, { paths: env.paths, vm: b.vm, task: b.ctx.task, step: step.name, ...(ready ? { stepReady: () => ready(b.ctx) } : {}) });
}

// The VMs one after another, at a pace the host can take: each starts once the one before shows a
// first sign of life (firstLife). The first failure stops those still starting or running, and
// so does the run's own signal (Ctrl-C); it is the one returned, the others came from it.
async function startInTurn(env: RunEnv, booting: readonly Booting[], start: (b: Booting, signal: AbortSignal) => Promise<void>): Promise<{ failure: unknown; aborted: boolean }> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(env.signal.reason);
  env.signal.addEventListener('abort', onAbort, { once: true });
  const runs: Promise<void>[] = [];
  let failure: unknown;
  try {
    for (const b of booting) {
      if (stop.signal.aborted) break;
      await prepare(env, b);
      runs.push(
        start(b, stop.signal).catch((error: unknown) => {
          failure ??= error;
          stop.abort(error);
        }),
      );
      await firstLife(b.controlled.serialLog, stop.signal);
    }
    await Promise.all(runs);
  } finally {
    env.signal.removeEventListener('abort', onAbort);
  }
  return { failure, aborted: stop.signal.aborted };
}

// What bootStep does before a single VM: its folder and its own UEFI variables.
async function prepare(env: RunEnv, b: Booting): Promise<void> {
  const { paths } = env;
  await ownDir(paths.root, paths.vmDir(b.vm));
  const firmware = b.ctx.facts.firmware;
  if (firmware.mode === 'pflash' && firmware.vars) {
    const { ensureFirmwareVars } = await import('../disk/firmware-vars.js');
    await ensureFirmwareVars(paths.root, firmware.vars, paths.vmFile(b.vm, 'efivars.fd'));
  }
}

// Waits (bounded) until the VM's serial log has its first bytes: its firmware runs, and the
// host has taken the start of one VM before the next one adds to the load.
async function firstLife(serialLog: string, signal: AbortSignal): Promise<void> {
  const until = performance.now() + startGapMs;
  while (performance.now() < until && !signal.aborted) {
    if (existsSync(serialLog) && statSync(serialLog).size > 0) return;
    await sleep(200);
  }
}

// A promise, or a KubenetError after `ms` (the run's --timeout).
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KubenetError(`${what} after ${ms / 1000} s`, { code: ExitCode.vm, hint: 'look at its serial console (images/vm/<vm>/serial.log); --timeout SECONDS waits longer' })), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function announceReady(env: RunEnv, b: Booting, step: Step, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const task = b.ctx.task;
  try {
    const how = await Promise.race([
      bounded(step.ready!(b.ctx), timeoutMs, 'not up'),
      sleep(timeoutMs + 1000, undefined, { signal }).then(() => ''),
    ]);
    env.reporter.note(task, `${b.vm} is up: ${how}`);
  } catch (error) {
    if (!signal.aborted) env.reporter.note(task, `${b.vm}: ${(error as Error).message}`);
  }
}

function warnAboutMemory(env: RunEnv, task: string, contexts: readonly TaskContext[]): void {
  const bytes = (size: string) => Number.parseInt(size, 10) * 1024 ** (/\d$/.test(size) ? 2 : 'KMGT'.indexOf(size.at(-1)!) + 1); // QEMU's -m: MiB without a unit
  const wanted = contexts.reduce((sum, c) => sum + bytes(c.memory), 0);
  if (wanted > freemem()) {
    env.reporter.note(task, `warning: the VMs ask for ${(wanted / 2 ** 30).toFixed(1)} GiB of memory and ${(freemem() / 2 ** 30).toFixed(1)} GiB is free; set smaller resources under cluster: in kubenet.yaml if they do not start`);
  }
}

const wrapFailure = (error: unknown): KubenetError =>
  isKubenetError(error) ? error : new KubenetError(`a VM of the cluster failed: ${(error as Error).message}`, { code: ExitCode.vm, cause: error });
