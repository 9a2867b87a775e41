// A step's commands recorded without running anything: what explain prints, what the guide map
// and the golden tests compare with the guide. The step's own make and boot run against effects
// that only write down what they are asked to do.
import type { Command } from '../command.js';
import type { GuestArch, HostOs, QemuFacts } from '../host/types.js';
import { makePaths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { seedDifferences } from '../cloud-init/seed-diff.js';
import { createContext, type Effects } from './context.js';
import type { Download, Step, StepPlan, Task } from './types.js';

export interface PlanInput {
  arch: GuestArch;
  hostOs: HostOs;
  facts: Pick<QemuFacts, 'accel' | 'firmware'> | undefined;
  settings?: Partial<Settings>;
  downloads?: (name: string) => Download | undefined;
}

// The guide's seed command (step 11): kubenet writes the ISO itself, but shows what the guide runs.
export const mkisofsLine = (dir: string, iso: string): Command => ({
  exe: 'mkisofs',
  args: ['-output', iso, '-volid', 'cidata', '-joliet', '-rock', `${dir}/user-data`, `${dir}/meta-data`],
});

export async function planStep(task: Task, step: Step, input: PlanInput): Promise<StepPlan> {
  const plan: StepPlan = { commands: [], notes: [] };
  const effects: Effects = {
    run: async (command) => (plan.commands.push(command), { stdout: '', stderr: '', exitCode: 0 }),
    once: async (_file, command) => (plan.commands.push(command), 'created'),
    seed: async ({ dir = 'cloud-init', hostname, userData }) => {
      const iso = dir === 'cloud-init' ? 'cidata.iso' : `${dir}/cidata.iso`;
      plan.commands.push(mkisofsLine(dir, iso));
      plan.notes.push(`kubenet writes ${dir}/user-data, ${dir}/meta-data and ${iso} itself (no mkisofs needed); the line above is what the guide runs`);
      if (userData === undefined) plan.notes.push('', ...seedDifferences(hostname, dir)); // the guide's own user-data, as kubenet writes it
      return { instanceId: hostname, iso };
    },
    download: async (d) => ({ name: d.name, file: d.file(input.arch), path: d.file(input.arch), sha256: '', url: d.url(input.arch) }),
    findHost: async () => {
      throw new Error('a plan never detects the host');
    },
    vmInfo: async (vm) => ({ name: vm, dir: `vm/${vm}`, serialLog: `vm/${vm}/serial.log`, running: false }),
    note: () => undefined,
    detail: () => undefined,
    progress: () => undefined,
    digest: () => undefined,
  };
  const ctx = createContext({
    task,
    step,
    settings: { images: '/images', offline: true, verbose: false, sources: {}, ...input.settings },
    paths: makePaths('/images'),
    arch: input.arch,
    hostOs: input.hostOs,
    facts: input.facts as QemuFacts | undefined,
    dryRun: true,
    signal: new AbortController().signal,
    effects,
    downloads: input.downloads ?? (() => undefined),
  });
  await step.make?.(ctx);
  if (step.boot) plan.boot = step.boot(ctx).command;
  return plan;
}
