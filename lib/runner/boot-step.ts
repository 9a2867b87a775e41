// Boots the VM of a step: the step's command as the guide has it, then what kubenet changes to
// watch and stop it (each change with its reason), then QEMU — with --until/--timeout for CI (a
// serial pattern, or `ssh`: until `kubenet ssh -- true` works), or --detach to leave it running in
// the background once it is up.
import { relative, resolve } from 'node:path';
import { ownDir } from '../fs/no-follow.js';
import { ExitCode, KubenetError } from '../errors.js';
import type { Paths } from '../paths.js';
import { controlBoot, hasUserNic } from '../qemu/boot-control.js';
import { chooseConsoleMode, type ConsoleMode } from '../qemu/console-mode.js';
import { formatCommand, formatChanges } from '../qemu/format-command.js';
import type { Step, TaskContext } from '../task/types.js';
import type { DetachedVm } from '../vm/detach-vm.js';
import { bootWait } from './boot-wait.js';
import { withoutNeedlessSudo } from './root-commands.js';
import { reachLines, startRecord, upAlready } from './start-once.js';
import type { RunEnv } from './run-effects.js';
import type { ConsoleWait } from '../kinds/words.js';

export interface BootOptions {
  headless: boolean;
  until?: ConsoleWait; // --until: a regular expression the serial console must match, or `ssh`
  timeoutMs: number;
  detach?: boolean; // return once the VM is up and leave it running (implies headless)
  sshPort?: number; // --ssh-port: the host port forwarded to the guest's ssh (else the VM's own, kept)
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
  const vm = ctx.vm ?? step.vm!;
  const task = ctx.task;
  const guide = step.boot!(ctx).command;
  // A VM that runs already is said so before anything is printed or probed.
  const looking = env.root?.preview !== undefined; // the run's first pass, collecting root commands
  if ((!env.dryRun || looking) && (await upAlready(env, task, vm, guide, boot))) return;
  // Consent to QEMU as root comes before its command is printed: a refusal is not buried under it.
  if (guide.sudo && guide.sudoReason && (!env.dryRun || looking)) {
    const { consent } = await import('./root-commands.js');
    const { rootRunOf } = await import('./run-effects.js');
    await consent(rootRunOf(env, task), guide.sudoReason, [guide]);
  }
  const mode = chooseConsoleMode({
    hostOs: profile.hostOs,
    env: process.env,
    headless: boot.headless || boot.detach === true, // a detached VM has no terminal or window to show
    interactiveTty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });
  // What to wait for, checked before anything runs: a serial pattern, or `ssh` (a VM with a seed).
  const ready = step.ready;
  const wait = await bootWait(boot.until, { paths, vm, task, step: step.name, ...(seeded ? { seeded } : {}), ...(ready ? { stepReady: () => ready(ctx) } : {}) });
  // User networking: a local port to the guest's ssh, the same on every run (kubenet ssh and
  // ssh-config find it in the VM's folder).
  let sshPort: number | undefined;
  if (hasUserNic(guide)) {
    const { sshPortFor } = await import('../ssh/ssh-port.js');
    sshPort = (await sshPortFor(paths, vm, boot.sshPort)).port;
  } else if (boot.sshPort !== undefined) {
    throw new KubenetError(`--ssh-port: ${vm} has no user-mode NIC to forward a port from`, { code: ExitCode.usage, hint: `${vm} is reached at its own address (kubenet ssh ${vm})` });
  }
  // At a terminal QEMU waits for kubenet to attach it to the console's socket — so only where
  // kubenet surely can: not a QEMU under sudo (root's socket), not a path too long for a socket.
  const files = vmControlFiles(paths, vm);
  const socketFits = Math.min(resolve(paths.root, files.consoleSocket).length, relative(process.cwd(), resolve(paths.root, files.consoleSocket)).length) < 100;
  const { consoleSocket, ...rest } = files;
  const onSocket = mode !== 'terminal' || (socketFits && !withoutNeedlessSudo(guide).sudo);
  const controlled = controlBoot(guide, { ...rest, ...(onSocket ? { consoleSocket } : {}), mode, ...(sshPort === undefined ? {} : { sshPort }) });
  reporter.print(`${formatCommand(withoutNeedlessSudo(guide))}\n${formatChanges(controlled.changes)}`);
  if (ctx.settings.verbose) reporter.print(`  exactly:\n${formatCommand(withoutNeedlessSudo(controlled.command))}`);
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
  // At a terminal, kubenet attaches it to the console's socket (QEMU waits for that): Ctrl-] leaves.
  const attach = mode === 'terminal' && controlled.consoleSocket !== undefined ? controlled.consoleSocket : undefined;
  const interactive = mode !== 'headless';
  reporter.note(task, boot.detach ? `console: none (detached); the serial console goes to ${controlled.serialLog}` : consoleLine(mode, controlled.serialLog, attach !== undefined));
  if (interactive) reporter.release();
  const run = {
    vm,
    command: controlled.command,
    cwd: paths.root,
    paths,
    serialLog: controlled.serialLog,
    qmpSocket: controlled.qmpSocket,
    controlSocket: controlled.controlSocket,
    ...(controlled.consoleSocket === undefined ? {} : { consoleSocket: controlled.consoleSocket }),
    ...wait,
    ...(controlled.sshPort === undefined ? {} : { sshPort: controlled.sshPort }),
    record: startRecord(paths, vm, guide),
    ...(facts.accel.accel === 'tcg' ? { graceMs: tcgGraceMs } : {}),
    signal: env.signal,
    ...(interactive ? {} : { onLine: (line: string) => reporter.detail(task, `serial: ${line}`) }),
    notice: (line: string) => reporter.note(task, line),
    detail: (line: string) => reporter.detail(task, line),
    progress: (text: string) => reporter.progress(task, text),
  };
  if (boot.detach) {
    const { detachVm } = await import('../vm/detach-vm.js');
    const up = await detachVm({ ...run, timeoutMs: boot.timeoutMs });
    for (const line of howToReach(vm, up, controlled.serialLog, controlled.sshPort)) reporter.note(task, line);
    return;
  }
  const { runVm } = await import('../vm/index.js');
  const quiet = mode === 'headless' && !wait.until && !wait.ready; // runs until stopped: say how
  const result = await runVm({
    ...run, interactive: interactive && attach === undefined, console: mode,
    ...(wait.until || wait.ready ? { timeoutMs: boot.timeoutMs } : {}),
    ...(quiet ? { started: () => runningNotes(env, task, vm, seeded, controlled.sshPort, controlled.serialLog) } : {}),
    ...(attach ? { started: () => void attachTerminal(env, task, vm, attach) } : {}),
  });
  if (result.matched !== undefined) {
    const what = wait.ready ? `${wait.ready.what}: it did` : `serial console matched ${wait.until}`;
    reporter.note(task, `${what} after ${((result.matchedAfterMs ?? result.elapsedMs) / 1000).toFixed(1)} s; ${vm} shut down`);
  } else {
    reporter.note(task, `${vm} exited (code ${result.exitCode ?? 'killed'}) after ${(result.elapsedMs / 1000).toFixed(1)} s`);
  }
}

// The files kubenet watches and controls a VM through, as QEMU's argv names them: the sockets
// relative to images/, QEMU's working directory (a unix socket path has a ~100 byte limit); the
// serial log by its full path, which is also how a running QEMU is recognised.
export function vmControlFiles(paths: Paths, vm: string) {
  return {
    cwd: paths.root,
    serialLog: paths.vmFile(vm, 'serial.log'),
    qmpSocket: `vm/${vm}/qmp.sock`,
    controlSocket: `vm/${vm}/control.sock`,
    consoleSocket: `vm/${vm}/console.sock`,
  };
}

// Said once a detached VM is up: where its console goes, how to log in, see and stop it.
function howToReach(vm: string, up: DetachedVm, serialLog: string, sshPort: number | undefined): string[] {
  return [`${vm} is up after ${(up.readyAfterMs / 1000).toFixed(1)} s (${up.seen}) and runs in the background, pid ${up.pid}:`, ...reachLines(vm, serialLog, sshPort)];
}

// A headless VM with nothing to wait for runs until it is stopped: say how to reach it and how to stop it.
function runningNotes(env: RunEnv, task: string, vm: string, seeded: Seeded | undefined, sshPort: number | undefined, serialLog: string): void {
  const say = (line: string) => env.reporter.note(task, line);
  if (seeded) say(`log in: kubenet ssh${vm === 'ubuntu0' ? '' : ` ${vm}`}${sshPort === undefined ? '' : ` (127.0.0.1:${sshPort} → guest port 22)`}; it waits for sshd while cloud-init runs`);
  say(`serial console: ${serialLog}`);
  say(`stop it: Ctrl-C here, kubenet stop ${vm}, or kill -INT ${process.pid} (kubenet powers the guest off, then exits)`);
}

// This terminal on the VM's console until Ctrl-] (or the VM stops): then the VM runs on here,
// headless, until Ctrl-C, kubenet stop, or its power-off; kubenet console comes back to it.
async function attachTerminal(env: RunEnv, task: string, vm: string, socket: string): Promise<void> {
  const { attachConsole } = await import('../vm/attach-console.js');
  try {
    const end = await attachConsole(env.paths, vm, socket, { input: process.stdin, output: process.stdout }, { attached: () => undefined, waitMs: 10_000 });
    if (end === 'left') env.reporter.note(task, `\r\nleft ${vm}'s console; it runs on here: kubenet console ${vm} comes back to it, Ctrl-C here (or kubenet stop ${vm}) powers it off`);
  } catch (error) {
    // QEMU waits for this connection before it runs the VM: it goes, and the run says why.
    env.reporter.note(task, `${(error as Error).message}: ${vm} never ran; QEMU is stopped`);
    const { readPid } = await import('../vm/process-probe.js');
    const pid = await readPid(env.paths.vmFile(vm, 'pid'));
    if (pid !== undefined) process.kill(pid, 'SIGTERM');
  }
}

// Said once, before QEMU takes the terminal: how to get out, and where the console is kept.
function consoleLine(mode: ConsoleMode, serialLog: string, attached = false): string {
  switch (mode) {
    case 'terminal':
      return attached
        ? `console: this terminal is the VM's serial console now — Ctrl-] leaves it and the VM runs on (kubenet console comes back), Ctrl-A X quits QEMU, Ctrl-A C switches to the monitor and back; a copy goes to ${serialLog}`
        : `console: this terminal is the VM's serial console now — Ctrl-A X quits QEMU, Ctrl-A C switches to the monitor and back; a copy goes to ${serialLog}`;
    case 'window':
      return `console: QEMU's window (its View menu has the monitor and the serial console); closing it stops the VM; a copy of the serial console goes to ${serialLog}`;
    case 'headless':
      return `console: none (headless); the serial console goes to ${serialLog}; Ctrl-C here powers the VM off`;
  }
}
