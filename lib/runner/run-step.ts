// Runs one step: what it needs first (its downloads, and the files of earlier steps it uses),
// then its make, then its VM. A step needed by another only makes its files; it does not boot.
// A step done for several VMs makes each VM's files in turn, then boots them together; one VM's
// failure (a VM that is down when files are copied to it) does not keep the others from theirs,
// and the step fails afterwards, naming each. One VM or several, the boot is boot-vms.ts's.
import { ExitCode, isKubenetError, KubenetError } from '../errors.js';
import { createContext } from '../task/context.js';
import { machinesOf } from '../task/plan-step.js';
import type { Download, Step, Task, TaskContext } from '../task/types.js';
import type { QemuFacts } from '../host/types.js';
import type { BootOptions, Seeded } from './boot-options.js';
import { runEffects } from './run-effects.js';
import type { RunEnv } from './run-env.js';
import { bootVms } from './boot-vms.js';

export interface StepRun {
  env: RunEnv;
  facts: () => Promise<QemuFacts | undefined>;
  boot: BootOptions;
  digests: Map<string, string>;
  downloadsByName: (name: string) => Promise<Download | undefined>;
  vms?: readonly string[]; // --vm: a step done for several VMs does only these
}

export async function runStep(run: StepRun, task: Task, step: Step, { makeOnly = false } = {}): Promise<void> {
  const { env } = run;
  for (const need of step.needs ?? []) {
    if (typeof need === 'string')
      await runStep(run, task, task.steps.find((s) => s.name === need)!, { makeOnly: true });
    else await env.downloads.ensure(need);
  }
  if (!step.make && (makeOnly || !step.boot)) return;
  const contexts: TaskContext[] = [];
  const failed: { vm: string; error: KubenetError }[] = [];
  const seeded = new Map<string, Seeded>(); // the VMs whose seed holds kubenet's key
  const onSeed = (vm: string, hostname: string) => void seeded.set(vm, { hostname });
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
      effects: runEffects(env, task.name, run.digests, machine?.name ?? step.vm, onSeed),
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
  await bootVms(env, contexts, step, run.boot, seeded);
}

// One VM's error as it is; several as one, each with its message and hint.
function failedVms(failed: { vm: string; error: KubenetError }[], of: number): KubenetError {
  if (failed.length === 1) return failed[0]!.error;
  return new KubenetError(`${failed.length} of ${of} VMs failed: ${failed.map((f) => f.vm).join(', ')}`, {
    code: failed[0]!.error.code ?? ExitCode.failure,
    details: failed.map((f) => `${f.error.message}${f.error.hint ? `\n  → ${f.error.hint}` : ''}`).join('\n'),
  });
}
