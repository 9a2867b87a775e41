// Boots the VM of one guide step: the guide's command plus boot control (serial log, QMP),
// shown in the guide's form with --dry-run, run with --until/--timeout for CI (a serial pattern,
// or `--until ssh`: until `kubenet ssh -- true` would succeed).
import { relative } from 'node:path';
import type { ReadyProbe } from '../vm/ready-probe.js';
import { ExitCode, KubenetError } from '../errors.js';
import { guideStep, type VmStep } from '../guide/steps.js';
import type { GuideFiles, StepInput } from '../guide/step-input.js';
import { withBootControl } from '../qemu/boot-control.js';
import { buildCommand } from '../qemu/build-command.js';
import { chooseConsoleMode } from '../qemu/console-mode.js';
import type { TaskContext } from '../task.js';
import { ensureFirmwareVars } from './firmware-vars.js';

export interface BootStepInput {
  step: VmStep;
  vm: string;
  files?: GuideFiles;
  sshPort?: number;
  ssh?: { hostname: string }; // the VM runs sshd with the seed's key: `kubenet ssh` and --until ssh work
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
  // What to wait for, checked before anything runs: a serial pattern, or `ssh`.
  const until = opts.until === undefined || opts.until === 'ssh' ? undefined : untilPattern(opts.until);
  const ready = opts.until === 'ssh' ? await sshReady(ctx, boot) : undefined;
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
  }
  if (input.files?.firmwareVars && facts.firmware.vars) {
    if (await ensureFirmwareVars(facts.firmware.vars, paths.vmFile(boot.vm, 'efivars.fd'))) {
      ctx.detail(`UEFI variables for ${boot.vm}: a copy of ${facts.firmware.vars}`);
    }
  }
  ctx.show(buildCommand(guide));
  ctx.detail(`console: ${mode}; serial log: ${serialLog}`);
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
    ...(ready ? { ready, timeoutMs: opts.timeout * 1000 } : {}),
    // A real guest's systemd takes ~10 s to power off under emulation: give it time before QMP quit.
    ...(facts.accel.accel === 'tcg' ? { graceMs: tcgGraceMs } : {}),
    ...(mode === 'headless' && !until && !ready ? { started: () => runningNotes(ctx, boot, serialLog) } : {}),
    signal: ctx.signal,
    onLine: interactive ? undefined : (line) => ctx.detail(`serial: ${line}`),
    notice: (line) => ctx.note(line),
  });
  if (result.matched !== undefined) {
    const what = ready ? `${ready.what}: it did` : `serial console matched ${until}`;
    ctx.note(`${what} after ${((result.matchedAfterMs ?? result.elapsedMs) / 1000).toFixed(1)} s; ${boot.vm} shut down`);
  } else {
    ctx.note(`${boot.vm} exited (code ${result.exitCode ?? 'killed'}) after ${(result.elapsedMs / 1000).toFixed(1)} s`);
  }
}

const tcgGraceMs = 30_000;

// --until ssh: only a VM whose seed holds kubenet's key runs an sshd kubenet can log in to.
async function sshReady(ctx: TaskContext, boot: BootStepInput): Promise<ReadyProbe> {
  if (!boot.ssh) {
    throw new KubenetError(`--until ssh: ${boot.vm} (${ctx.task}, step ${boot.step}) runs no sshd kubenet can log in to`, {
      code: ExitCode.usage,
      hint: 'use it with kubenet run 03-cloud-image (step 11, the cloud-init seed holds the key), or wait for the console with --until REGEX',
    });
  }
  const { sshReadyProbe } = await import('../ssh/ssh-ready.js');
  return sshReadyProbe({ paths: ctx.paths, vm: boot.vm, hostname: boot.ssh.hostname });
}

// A headless VM with nothing to wait for runs until it is stopped: say how to reach it and how to stop it.
function runningNotes(ctx: TaskContext, boot: BootStepInput, serialLog: string): void {
  if (boot.ssh) ctx.note(`log in: kubenet ssh${boot.sshPort === undefined ? '' : ` (127.0.0.1:${boot.sshPort} → guest port 22)`}; it waits for sshd while cloud-init runs`);
  ctx.note(`serial console: ${serialLog}`);
  ctx.note(`stop it: Ctrl-C here, or kill -INT ${process.pid} (kubenet powers the guest off, then exits)`);
}

function untilPattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (cause) {
    throw new KubenetError(`--until ${source} is not a regular expression`, { code: ExitCode.usage, cause, hint: 'e.g. --until "login:"' });
  }
}
