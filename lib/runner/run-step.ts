// Runs one step: what it needs first (its downloads, and the files of earlier steps it uses),
// then its make, then its VM. A step needed by another only makes its files; it does not boot.
// A step done for several VMs makes each VM's files in turn, then boots them together; one VM's
// failure (a VM that is down when files are copied to it) does not keep the others from theirs,
// and the step fails afterwards, naming each.
import { ExitCode, isKubenetError, KubenetError } from '../errors.js';
import { createContext } from '../task/context.js';
import { machinesOf } from '../task/plan-step.js';
import type { Step, Task, TaskContext } from '../task/types.js';
import type { QemuFacts } from '../host/types.js';
import { bootStep, type BootOptions, type Seeded } from './boot-step.js';
import { runEffects, type RunEnv } from './run-effects.js';

export interface StepRun {
  env: RunEnv;
  facts: () => Promise<QemuFacts | undefined>;
  boot: BootOptions;
  digests: Map<string, string>;
  downloadsByName: (name: string) => Promise<import('../task/types.js').Download | undefined>;
  vms?: readonly string[]; // --vm: a step done for several VMs does only these
}

export async function runStep(run: StepRun, task: Task, step: Step, { makeOnly = false } = {}): Promise<void> {
  const { env } = run;
  for (const need of step.needs ?? []) {
    if (typeof need === 'string') await runStep(run, task, task.steps.find((s) => s.name === need)!, { makeOnly: true });
    else await env.downloads.ensure(need);
  }
  if (!step.make && (makeOnly || !step.boot)) return;
  const contexts: TaskContext[] = [];
  const failed: { vm: string; error: KubenetError }[] = [];
  let seeded: Seeded | undefined;
  const machines = machinesOf(step, { settings: env.settings, paths: env.paths, arch: env.profile.guestArch }, run.vms);
  for (const machine of machines) {
    const ctx = createContext({
      task,
      step,
      ...(machine ? { machine } : {}),
      settings: env.settings,
      paths: env.paths,
      arch: env.profile.guestArch,
      hostOs: env.profile.hostOs,
      facts: await run.facts(),
      dryRun: env.dryRun,
      signal: env.signal,
      effects: runEffects(env, task.name, run.digests, machine?.name ?? step.vm, (hostname) => (seeded = { hostname })),
      downloads: run.downloadsByName,
    });
    try {
      await step.make?.(ctx);
    } catch (error) {
      if (!machine || machines.length === 1 || env.signal.aborted || !isKubenetError(error)) throw error;
      failed.push({ vm: machine.name, error });
      continue;
    }
    contexts.push(ctx);
  }
  if (failed.length) throw failedVms(failed, machines.length);
  if (!step.boot || makeOnly) return;
  // One VM (a step without vms, or --vm NAME) gets the terminal, as the guide's command does.
  if (contexts.length === 1) return bootStep(env, contexts[0]!, step, run.boot, seeded);
  const { bootMachines } = await import('./boot-machines.js');
  await bootMachines(env, contexts, step, run.boot);
}

// One VM's error as it is; several as one, each with its message and hint.
function failedVms(failed: { vm: string; error: KubenetError }[], of: number): KubenetError {
  if (failed.length === 1) return failed[0]!.error;
  return new KubenetError(`${failed.length} of ${of} VMs failed: ${failed.map((f) => f.vm).join(', ')}`, {
    code: failed[0]!.error.code ?? ExitCode.failure,
    details: failed.map((f) => `${f.error.message}${f.error.hint ? `\n  → ${f.error.hint}` : ''}`).join('\n'),
  });
}
