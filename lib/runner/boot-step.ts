// Boots the VM of a step: the step's command as the guide has it, then what kubenet changes to
// watch and stop it (each change with its reason), then QEMU — with --until/--timeout for CI.
import { ExitCode, KubenetError } from '../errors.js';
import type { ReadyProbe } from '../vm/ready-probe.js';
import { ownDir } from '../fs/no-follow.js';
import { controlBoot } from '../qemu/boot-control.js';
import { chooseConsoleMode, type ConsoleMode } from '../qemu/console-mode.js';
import { formatCommand, formatChanges } from '../qemu/format-command.js';
import type { Step, TaskContext } from '../task/types.js';
import type { RunEnv } from './run-effects.js';

export interface BootOptions {
  headless: boolean;
  until?: string; // a regular expression the serial console must match, or `ssh`
  timeoutMs: number;
}

// A step that wrote its VM a seed with kubenet's key (its hostname): that VM runs an sshd
// `kubenet ssh` and `--until ssh` can log in to.
export interface Seeded {
  hostname: string;
}

// A real guest's systemd takes ~10 s to power off under emulation: give it time before QMP quit.
const tcgGraceMs = 30_000;

export async function bootStep(env: RunEnv, ctx: TaskContext, step: Step, boot: BootOptions, seeded?: Seeded): Promise<void> {
  const { paths, profile, reporter } = env;
  const vm = step.vm!;
  const task = ctx.task;
  const guide = step.boot!(ctx).command;
  const mode = chooseConsoleMode({
    hostOs: profile.hostOs,
    env: process.env,
    headless: boot.headless,
    interactiveTty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  // What to wait for, checked before anything runs: a serial pattern, or `ssh`.
  const until = boot.until === undefined || boot.until === 'ssh' ? undefined : untilPattern(boot.until);
  const ready = boot.until === 'ssh' ? await sshReady(ctx, step, seeded) : undefined;
  // User networking: a free local port to the guest's ssh (kubenet ssh finds it in the VM's folder).
  let sshPort: number | undefined;
  if (ctx.nic === 'user') {
    const { freePort } = await import('../ssh/free-port.js');
    sshPort = await freePort();
  }
  // The QMP socket relative to images/, QEMU's working directory: a unix socket path has a ~100
  // byte limit. The serial log by its full path: it is also how a running QEMU is recognised.
  const controlled = controlBoot(guide, {
    cwd: paths.root,
    serialLog: paths.vmFile(vm, 'serial.log'),
    qmpSocket: `vm/${vm}/qmp.sock`,
    mode,
    ...(sshPort === undefined ? {} : { sshPort }),
  });
  reporter.print(`${formatCommand(guide)}\n${formatChanges(controlled.changes)}`);
  if (ctx.settings.verbose) reporter.print(`  exactly:\n${formatCommand(controlled.command)}`);
  if (env.dryRun) return;

  const facts = ctx.facts;
  if (facts.accel.accel === 'tcg') {
    reporter.note(task, `no hardware acceleration: ${facts.accel.why}; accel=tcg and -cpu ${ctx.cpu} stand in for the guide's accel=${profile.hostOs === 'darwin' ? 'hvf' : 'kvm'} and -cpu host`);
  } else if (facts.accel.probe?.verdict === 'unusable') {
    reporter.note(task, `warning: accel=${facts.accel.accel}: ${facts.accel.why}`);
  }
  await ownDir(paths.root, paths.vmDir(vm)); // the VM's files go into kubenet's own folder, never through a link
  if (facts.firmware.mode === 'pflash' && facts.firmware.vars) {
    const { ensureFirmwareVars } = await import('../disk/firmware-vars.js');
    if (await ensureFirmwareVars(paths.root, facts.firmware.vars, paths.vmFile(vm, 'efivars.fd'))) reporter.detail(task, `UEFI variables for ${vm}: a copy of ${facts.firmware.vars}`);
  }
  if (sshPort !== undefined) {
    const { writeFileAtomic } = await import('../fs/atomic-write.js');
    await writeFileAtomic(paths.vmFile(vm, 'ssh-port'), `${sshPort}\n`);
  }
  const interactive = mode !== 'headless';
  reporter.note(task, consoleLine(mode, controlled.serialLog));
  if (interactive) reporter.release();
  const { runVm } = await import('../vm/index.js');
  const result = await runVm({
    vm,
    command: controlled.command,
    cwd: paths.root,
    paths,
    serialLog: controlled.serialLog,
    qmpSocket: controlled.qmpSocket,
    interactive,
    ...(until ? { until, timeoutMs: boot.timeoutMs } : {}),
    ...(ready ? { ready, timeoutMs: boot.timeoutMs } : {}),
    ...(facts.accel.accel === 'tcg' ? { graceMs: tcgGraceMs } : {}),
    ...(mode === 'headless' && !until && !ready ? { started: () => runningNotes(env, task, vm, seeded, sshPort, controlled.serialLog) } : {}),
    signal: env.signal,
    ...(interactive ? {} : { onLine: (line: string) => reporter.detail(task, `serial: ${line}`) }),
    notice: (line) => reporter.note(task, line),
    detail: (line) => reporter.detail(task, line),
  });
  if (result.matched !== undefined) {
    const what = ready ? `${ready.what}: it did` : `serial console matched ${until}`;
    reporter.note(task, `${what} after ${((result.matchedAfterMs ?? result.elapsedMs) / 1000).toFixed(1)} s; ${vm} shut down`);
  } else {
    reporter.note(task, `${vm} exited (code ${result.exitCode ?? 'killed'}) after ${(result.elapsedMs / 1000).toFixed(1)} s`);
  }
}

// Said once, before QEMU takes the terminal: how to get out, and where the console is kept.
function consoleLine(mode: ConsoleMode, serialLog: string): string {
  switch (mode) {
    case 'terminal':
      return `console: this terminal is the VM's serial console now — Ctrl-A X quits QEMU, Ctrl-A C switches to the monitor and back; a copy goes to ${serialLog}`;
    case 'window':
      return `console: QEMU's window (its View menu has the monitor and the serial console); closing it stops the VM; a copy of the serial console goes to ${serialLog}`;
    case 'headless':
      return `console: none (headless); the serial console goes to ${serialLog}; Ctrl-C here powers the VM off`;
  }
}

// --until ssh: only a VM whose seed holds kubenet's key runs an sshd kubenet can log in to.
async function sshReady(ctx: TaskContext, step: Step, seeded: Seeded | undefined): Promise<ReadyProbe> {
  if (!seeded) {
    throw new KubenetError(`--until ssh: ${step.vm} (${ctx.task}, step ${step.name}) runs no sshd kubenet can log in to: this step writes it no seed`, {
      code: ExitCode.usage,
      hint: 'use it with a step that seeds its VM (kubenet run cloud-init: the cloud-init seed holds the key), or wait for the console with --until REGEX',
    });
  }
  const { sshReadyProbe } = await import('../ssh/ssh-ready.js');
  return sshReadyProbe({ paths: ctx.paths, vm: step.vm!, hostname: seeded.hostname });
}

// A headless VM with nothing to wait for runs until it is stopped: say how to reach it and how to stop it.
function runningNotes(env: RunEnv, task: string, vm: string, seeded: Seeded | undefined, sshPort: number | undefined, serialLog: string): void {
  const say = (line: string) => env.reporter.note(task, line);
  if (seeded) say(`log in: kubenet ssh${vm === 'ubuntu0' ? '' : ` ${vm}`}${sshPort === undefined ? '' : ` (127.0.0.1:${sshPort} → guest port 22)`}; it waits for sshd while cloud-init runs`);
  say(`serial console: ${serialLog}`);
  say(`stop it: Ctrl-C here, or kill -INT ${process.pid} (kubenet powers the guest off, then exits)`);
}

function untilPattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (cause) {
    throw new KubenetError(`--until ${source} is not a regular expression`, { code: ExitCode.usage, cause, hint: 'e.g. --until "login:"' });
  }
}
