// Runs one step: what it needs first (its downloads, and the files of earlier steps it uses),
// then its make, then its VM. A step needed by another only makes its files; it does not boot.
import { createContext } from '../task/context.js';
import type { Step, Task } from '../task/types.js';
import type { QemuFacts } from '../host/types.js';
import { bootStep, type BootOptions, type Seeded } from './boot-step.js';
import { runEffects, type RunEnv } from './run-effects.js';

export interface StepRun {
  env: RunEnv;
  facts: () => Promise<QemuFacts | undefined>;
  boot: BootOptions;
  digests: Map<string, string>;
  downloadsByName: (name: string) => import('../task/types.js').Download | undefined;
}

export async function runStep(run: StepRun, task: Task, step: Step, { makeOnly = false } = {}): Promise<void> {
  const { env } = run;
  for (const need of step.needs ?? []) {
    if (typeof need === 'string') await runStep(run, task, task.steps.find((s) => s.name === need)!, { makeOnly: true });
    else await env.downloads.ensure(need);
  }
  if (!step.make && (makeOnly || !step.boot)) return;
  let seeded: Seeded | undefined;
  const ctx = createContext({
    task,
    step,
    settings: env.settings,
    paths: env.paths,
    arch: env.profile.guestArch,
    hostOs: env.profile.hostOs,
    facts: await run.facts(),
    dryRun: env.dryRun,
    signal: env.signal,
    effects: runEffects(env, task.name, run.digests, step.vm, (hostname) => (seeded = { hostname })),
    downloads: run.downloadsByName,
  });
  await step.make?.(ctx);
  if (step.boot && !makeOnly) await bootStep(env, ctx, step, run.boot, seeded);
}
