// Boots the VM of a step: the step's command as the guide has it, then what kubenet changes to
// watch and stop it (each change with its reason), then QEMU — with --until/--timeout for CI.
import { ExitCode, KubenetError } from '../errors.js';
import { ownDir } from '../fs/no-follow.js';
import { controlBoot } from '../qemu/boot-control.js';
import { chooseConsoleMode, type ConsoleMode } from '../qemu/console-mode.js';
import { formatCommand, formatChanges } from '../qemu/format-command.js';
import type { Step, TaskContext } from '../task/types.js';
import type { RunEnv } from './run-effects.js';

export interface BootOptions {
  headless: boolean;
  until?: string; // a regular expression the serial console must match
  timeoutMs: number;
}

export async function bootStep(env: RunEnv, ctx: TaskContext, step: Step, boot: BootOptions): Promise<void> {
  const { paths, profile, reporter } = env;
  const vm = ctx.vm ?? step.vm!;
  const task = ctx.task;
  const guide = step.boot!(ctx).command;
  const mode = chooseConsoleMode({
    hostOs: profile.hostOs,
    env: process.env,
    headless: boot.headless,
    interactiveTty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  const until = boot.until === undefined ? undefined : untilPattern(boot.until);
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
  if (guide.sudo && guide.sudoReason) {
    const { consent } = await import('./root-commands.js');
    const { rootRunOf } = await import('./run-effects.js');
    await consent(rootRunOf(env, task), guide.sudoReason, 1);
  }

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
    signal: env.signal,
    ...(interactive ? {} : { onLine: (line: string) => reporter.detail(task, `serial: ${line}`) }),
    notice: (line) => reporter.note(task, line),
    detail: (line) => reporter.detail(task, line),
  });
  if (result.matched !== undefined) {
    reporter.note(task, `serial console matched ${until} after ${((result.matchedAfterMs ?? result.elapsedMs) / 1000).toFixed(1)} s; ${vm} shut down`);
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

function untilPattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (cause) {
    throw new KubenetError(`--until ${source} is not a regular expression`, { code: ExitCode.usage, cause, hint: 'e.g. --until "login:"' });
  }
}
