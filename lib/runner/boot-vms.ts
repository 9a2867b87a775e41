// Boots a step's VMs — its one VM, or those of a step done for several (the guide's vmlaunch.sh,
// vmlaunchall.sh) — from one preparation (boot-plan.ts): the commands printed, then where there is
// no hardware acceleration it is said; a step that lays its VMs out in tmux runs them there when
// kubenet has a terminal; else they start in turn, in the foreground (boot-foreground.ts) or to
// outlive kubenet (--detach: boot-detach.ts). --dry-run stops after the commands.
import { freemem } from 'node:os';
import { which } from '../host/which.js';
import type { Step, TaskContext } from '../task/types.js';
import { runInForeground } from './boot-foreground.js';
import { detachVms } from './boot-detach.js';
import type { BootOptions, Seeded } from './boot-options.js';
import { prepareBoot, type BootPlan } from './boot-plan.js';
import { bounded } from './boot-wait.js';
import type { RunEnv } from './run-env.js';
import { firstLife } from './start-in-turn.js';
import { launchInTmux, wantsTmux } from './tmux-launch.js';

export async function bootVms(
  env: RunEnv,
  contexts: readonly TaskContext[],
  step: Step,
  boot: BootOptions,
  seeded: ReadonlyMap<string, Seeded>,
): Promise<void> {
  const plan = await prepareBoot(env, contexts, step, boot, seeded);
  if (!plan || env.dryRun) return;
  accelNote(env, plan);
  if (plan.several) warnAboutMemory(env, plan);
  if (inTmux(plan)) {
    const ready = step.ready;
    return launchInTmux({
      env,
      step: { ...step, tmux: step.tmux! },
      contexts: plan.vms.map((b) => b.ctx),
      firstLife: (log) => firstLife(log, env.signal),
      waitForSsh: async (ctx) => (ready ? bounded(ready(ctx), boot.timeoutMs, `${ctx.vm} was not ready`) : ctx.vm!),
    });
  }
  if (boot.detach) return detachVms(env, plan);
  return runInForeground(env, plan);
}

// A step whose VMs tmux lays out, at a terminal where tmux is installed, unless --headless,
// --until or --detach asks for kubenet's own supervision.
const inTmux = ({ several, step, boot }: BootPlan): boolean =>
  several &&
  step.tmux !== undefined &&
  !boot.detach &&
  wantsTmux({
    tmux: which('tmux'),
    headless: boot.headless,
    until: boot.until,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  });

// No hardware acceleration: TCG and -cpu max (or what this host gives) stand in for the guide's.
function accelNote(env: RunEnv, { task, several, vms }: BootPlan): void {
  const { facts, cpu } = vms[0]!.ctx;
  if (facts.accel.accel === 'tcg') {
    const guide = `accel=${env.profile.hostOs === 'darwin' ? 'hvf' : 'kvm'} and -cpu host`;
    const instead = `accel=tcg and -cpu ${cpu} stand in for the guide's ${guide}${several ? ' on every VM' : ''}`;
    env.reporter.note(task, `no hardware acceleration: ${facts.accel.why}; ${instead}`);
  } else if (facts.accel.probe?.verdict === 'unusable') {
    env.reporter.note(task, `warning: accel=${facts.accel.accel}: ${facts.accel.why}`);
  }
}

// Several VMs that ask for more memory than is free: said, with where their sizes are set.
function warnAboutMemory(env: RunEnv, { task, vms }: BootPlan): void {
  const unit = (size: string) => (/\d$/.test(size) ? 2 : 'KMGT'.indexOf(size.at(-1)!) + 1); // QEMU's -m: MiB bare
  const bytes = (size: string) => Number.parseInt(size, 10) * 1024 ** unit(size);
  const wanted = vms.reduce((sum, b) => sum + bytes(b.ctx.memory), 0);
  const gib = (n: number) => (n / 2 ** 30).toFixed(1);
  if (wanted > freemem()) {
    const fix = 'set smaller resources under cluster: in kubenet.yaml if they do not start';
    const free = gib(freemem());
    env.reporter.note(task, `warning: the VMs ask for ${gib(wanted)} GiB of memory and ${free} GiB is free; ${fix}`);
  }
}
