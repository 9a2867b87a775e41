// Boots the VM of one guide step: the guide's command plus boot control (serial log, QMP),
// shown in the guide's form with --dry-run, run with --until/--timeout for CI.
import { relative } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { guideStep, type VmStep } from '../guide/steps.js';
import type { GuideFiles, StepInput } from '../guide/step-input.js';
import { withBootControl } from '../qemu/boot-control.js';
import { buildCommand } from '../qemu/build-command.js';
import { chooseConsoleMode } from '../qemu/console-mode.js';
import type { TaskContext } from '../task.js';
import { ownDir } from '../fs/no-follow.js';
import { ensureFirmwareVars } from './firmware-vars.js';

export interface BootStepInput {
  step: VmStep;
  vm: string;
  files?: GuideFiles;
  sshPort?: number;
}

export async function stepInput(ctx: TaskContext, { vm, files, sshPort }: Omit<BootStepInput, 'step'>): Promise<StepInput> {
  const facts = await ctx.facts();
  const { opts, paths, profile } = ctx;
  const firmwareVars = facts.firmware.mode === 'pflash' && facts.firmware.vars ? relative(paths.root, paths.vmFile(vm, 'efivars.fd')) : undefined;
  return {
    profile,
    facts,
    resources: { smp: opts.smp, memory: opts.memory, diskSize: opts.diskSize },
    ...(opts.net ? { net: opts.net } : {}),
    ...(sshPort === undefined ? {} : { sshPort }),
    files: { ...files, ...(firmwareVars ? { firmwareVars } : {}) },
  };
}

export async function bootStep(ctx: TaskContext, boot: BootStepInput): Promise<void> {
  const { opts, paths, profile } = ctx;
  const input = await stepInput(ctx, boot);
  const facts = input.facts;
  const guide = guideStep(boot.step, input);
  const mode = chooseConsoleMode({
    hostOs: profile.hostOs,
    env: process.env,
    headless: opts.headless,
    interactiveTty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  // The QMP socket relative to images/, QEMU's working directory: a unix socket path has a
  // ~100 byte limit. The serial log by its full path: it is also how a running QEMU is
  // recognised as this VM's (lib/vm/process-probe.ts).
  const serialLog = paths.vmFile(boot.vm, 'serial.log');
  const qmpSocket = paths.vmFile(boot.vm, 'qmp.sock');
  const controlled = withBootControl(guide, { serialLog, qmpSocket: relative(paths.root, qmpSocket), mode });
  const command = buildCommand(controlled);
  if (ctx.dryRun) {
    ctx.show(buildCommand(guide));
    if (ctx.verbose) {
      ctx.show(`# kubenet runs it with boot control (serial log, QMP, console: ${mode}):`);
      ctx.show(command);
    }
    return;
  }
  if (facts.accel.accel === 'tcg') {
    ctx.note(`no hardware acceleration: ${facts.accel.why}; accel=tcg and -cpu ${guide.cpu?.model ?? 'max'} replace the guide's accel=${profile.hostOs === 'darwin' ? 'hvf' : 'kvm'} and -cpu host`);
  } else if (facts.accel.probe?.verdict === 'unusable') {
    ctx.note(`warning: accel=${facts.accel.accel}: ${facts.accel.why}`);
  }
  await ownDir(paths.root, paths.vmDir(boot.vm)); // the VM's files go into kubenet's own folder, never through a link
  if (input.files?.firmwareVars && facts.firmware.vars) {
    if (await ensureFirmwareVars(paths.root, facts.firmware.vars, paths.vmFile(boot.vm, 'efivars.fd'))) {
      ctx.detail(`UEFI variables for ${boot.vm}: a copy of ${facts.firmware.vars}`);
    }
  }
  ctx.show(buildCommand(guide));
  ctx.detail(`console: ${mode}; serial log: ${serialLog}`);
  const until = opts.until === undefined ? undefined : untilPattern(opts.until);
  const interactive = mode !== 'headless';
  if (interactive) ctx.useTerminal();
  const { runVm } = await import('../vm/index.js');
  const result = await runVm({
    vm: boot.vm,
    command,
    cwd: paths.root,
    paths,
    serialLog,
    qmpSocket,
    interactive,
    ...(until ? { until, timeoutMs: opts.timeout * 1000 } : {}),
    signal: ctx.signal,
    onLine: interactive ? undefined : (line) => ctx.detail(`serial: ${line}`),
    notice: (line) => ctx.note(line),
    detail: (line) => ctx.detail(line),
  });
  if (result.matched !== undefined) {
    ctx.note(`serial console matched ${until} after ${((result.matchedAfterMs ?? result.elapsedMs) / 1000).toFixed(1)} s; ${boot.vm} shut down`);
  } else {
    ctx.note(`${boot.vm} exited (code ${result.exitCode ?? 'killed'}) after ${(result.elapsedMs / 1000).toFixed(1)} s`);
  }
}

function untilPattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (cause) {
    throw new KubenetError(`--until ${source} is not a regular expression`, { code: ExitCode.usage, cause, hint: 'e.g. --until "login:"' });
  }
}
