// One preparation for every boot, of one VM or several (a step's VM, or the VMs of a step done
// for several: the guide's vmlaunchall.sh): those that run already are said so (start-once.ts);
// for each of the others, its QEMU command as the guide has it with what kubenet changes to watch
// and stop it (qemu/boot-control.ts), what the run waits for, its ssh port; then consent to QEMU
// as root — before the commands are printed, so a refusal is not buried under them — and the
// commands. One VM gets the console this host can show; several run headless, each in its folder.
import { relative, resolve } from 'node:path';
import type { Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import { vmDirName, vmFileName, type Paths } from '../paths.js';
import { controlBoot, hasUserNic, type ControlledBoot } from '../qemu/boot-control.js';
import { chooseConsoleMode, type ConsoleMode } from '../qemu/console-mode.js';
import { formatChanges, formatCommand } from '../qemu/format-command.js';
import { sshPortFor } from '../ssh/ssh-port.js';
import type { Step, TaskContext } from '../task/types.js';
import type { BootOptions, Seeded } from './boot-options.js';
import { bootWait, type BootWait } from './boot-wait.js';
import { consent, withoutNeedlessSudo } from './root-commands.js';
import { rootRunOf } from './run-effects.js';
import type { RunEnv } from './run-env.js';
import { notRunning, startRecord, type StartRecord } from './start-once.js';

// One VM as it is to start.
export interface BootVm {
  ctx: TaskContext;
  vm: string;
  guide: Command; // the step's QEMU command, as the guide has it
  controlled: ControlledBoot; // the command that runs, with what kubenet changed and why
  record: StartRecord;
  wait: BootWait; // what the run waits for (nothing: QEMU's exit, or a first sign of life)
  seeded?: Seeded;
}

export interface BootPlan {
  task: string;
  step: Step;
  boot: BootOptions;
  several: boolean; // a step done for several VMs: all headless, supervised together, said by name
  mode: ConsoleMode;
  vms: BootVm[]; // those to start, in the step's order
}

// The plan, or undefined when every VM runs already. Refusals (--ssh-port for several VMs, --until
// ssh for a VM with no sshd to log in to, a VM a foreground --until would shut down, a taken port)
// come before consent.
export async function prepareBoot(
  env: RunEnv,
  contexts: readonly TaskContext[],
  step: Step,
  boot: BootOptions,
  seeded: ReadonlyMap<string, Seeded>,
): Promise<BootPlan | undefined> {
  const task = contexts[0]!.task;
  const several = contexts.length > 1;
  if (several && boot.sshPort !== undefined) {
    const hint = `name the VM: --vm ${contexts[0]!.vm} --ssh-port ${boot.sshPort}`;
    const why = `--ssh-port pins one VM's port, and ${step.name} starts ${contexts.length}`;
    throw new KubenetError(why, { code: ExitCode.usage, hint });
  }
  const looking = env.root?.preview !== undefined; // the run's first pass, collecting root commands
  const acting = !env.dryRun || looking;
  const all = contexts.map((ctx) => ({ ctx, vm: ctx.vm!, guide: step.boot!(ctx).command }));
  const starting = acting ? await notRunning(env, task, all, boot) : all;
  if (starting.length === 0) return undefined;
  const plan: BootPlan = { task, step, boot, several, mode: several ? 'headless' : consoleMode(env, boot), vms: [] };
  for (const one of starting) plan.vms.push(await bootVm(env, plan, one, seeded.get(one.vm)));
  const guides = plan.vms.map((b) => b.guide);
  const reason = guides.find((c) => c.sudo && c.sudoReason)?.sudoReason;
  if (reason && acting) await consent(rootRunOf(env, task), reason, guides);
  env.reporter.print(several ? severalCommands(plan.vms) : oneCommand(plan.vms[0]!, env.settings.verbose));
  return plan;
}

// One VM of the plan: what the run waits for, its command with the files kubenet watches it
// through and its ssh port (away from those of the VMs before it), what run.json will keep.
type Candidate = Pick<BootVm, 'ctx' | 'vm' | 'guide'>;
async function bootVm(env: RunEnv, plan: BootPlan, { ctx, vm, guide }: Candidate, seeded?: Seeded): Promise<BootVm> {
  const { paths } = env;
  const { step, boot, mode, task } = plan;
  const wait = await bootWait(boot.until, { paths, vm, task, step: step.name, ...stepWaits(step, ctx, seeded) });
  const taken = plan.vms.flatMap((b) => b.controlled.sshPort ?? []);
  const port = await sshPortOf(paths, vm, guide, boot, taken);
  const controlled = controlBoot(guide, { ...controlFiles(paths, vm, guide, mode), mode, ...port });
  return { ctx, vm, guide, controlled, record: startRecord(paths, vm, guide), wait, ...(seeded ? { seeded } : {}) };
}

// A detached VM has no terminal or window to show.
const consoleMode = (env: RunEnv, boot: BootOptions): ConsoleMode =>
  chooseConsoleMode({
    hostOs: env.profile.hostOs,
    env: process.env,
    headless: boot.headless || boot.detach === true,
    interactiveTty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });

// What --until ssh waits for: the step's own readiness where it has one (a cluster VM: its sshd
// takes kubenet's key, its host keys recorded), else a login with the key its seed holds.
const stepWaits = (step: Step, ctx: TaskContext, seeded: Seeded | undefined) => ({
  ...(seeded ? { seeded } : {}),
  ...(step.ready ? { stepReady: () => step.ready!(ctx) } : {}),
});

// User networking: a local port to the guest's ssh, the same on every run (kubenet ssh and
// ssh-config find it in the VM's folder), away from the ports this run gave the VMs before it.
async function sshPortOf(paths: Paths, vm: string, guide: Command, boot: BootOptions, taken: readonly number[]) {
  if (hasUserNic(guide)) return { sshPort: (await sshPortFor(paths, vm, boot.sshPort, taken)).port };
  if (boot.sshPort === undefined) return {};
  const hint = `${vm} is reached at its own address (kubenet ssh ${vm})`;
  const why = `--ssh-port: ${vm} has no user-mode NIC to forward a port from`;
  throw new KubenetError(why, { code: ExitCode.usage, hint });
}

// The files kubenet watches and controls a VM through, as QEMU's argv names them: the sockets
// relative to images/, QEMU's working directory (a unix socket path has a ~100 byte limit); the
// serial log by its full path, which is also how a running QEMU is recognised. At a terminal QEMU
// waits for kubenet to attach it to the console's socket — so the console goes on one only where
// kubenet surely can: not a QEMU under sudo (root's socket), not a path too long for a socket.
function controlFiles(paths: Paths, vm: string, guide: Command, mode: ConsoleMode) {
  const consoleSocket = vmFileName(vm, 'console.sock');
  const full = resolve(paths.root, consoleSocket);
  const fits = Math.min(full.length, relative(process.cwd(), full).length) < 100;
  const onSocket = mode !== 'terminal' || (fits && !withoutNeedlessSudo(guide).sudo);
  return {
    cwd: paths.root,
    serialLog: paths.vmFile(vm, 'serial.log'),
    qmpSocket: vmFileName(vm, 'qmp.sock'),
    controlSocket: vmFileName(vm, 'control.sock'),
    ...(onSocket ? { consoleSocket } : {}),
  };
}

// One VM: the step's command as the guide has it, then what kubenet changes (--verbose: exactly).
function oneCommand({ guide, controlled }: BootVm, verbose: boolean): string {
  const exactly = verbose ? `\n  exactly:\n${formatCommand(withoutNeedlessSudo(controlled.command))}` : '';
  return `${formatCommand(withoutNeedlessSudo(guide))}\n${formatChanges(controlled.changes)}${exactly}`;
}

// Several: each one's command as the guide has it, then what kubenet changes, alike for each.
function severalCommands(vms: readonly BootVm[]): string {
  const first = vms[0]!.controlled;
  const port = first.sshPort === undefined ? '' : ', with a port of its own';
  const each = `  (each VM alike, in its own folder ${vmDirName('<name>')}/${port})`;
  const commands = vms.map((b) => formatCommand(withoutNeedlessSudo(b.guide)));
  return [...commands, formatChanges(first.changes), each].join('\n');
}
