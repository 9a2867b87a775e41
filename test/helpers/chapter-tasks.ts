// The built-in chapter tasks, loaded from dist/tasks, and a step's planned commands for a host of
// the test's choosing (no QEMU needed: planStep records, runs nothing).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from '../../lib/command.js';
import type { Accel, FirmwareChoice, GuestArch, HostOs } from '../../lib/host/types.js';
import type { Settings } from '../../lib/settings/settings.js';
import { planStep } from '../../lib/task/plan-step.js';
import type { Download, StepPlan, Task } from '../../lib/task/types.js';

export const builtInTasksDir = fileURLToPath(new URL('../../tasks/', import.meta.url));

export const chapterTasks: Task[] = await Promise.all(
  readdirSync(builtInTasksDir)
    .filter((f) => /^\d\d-.*\.js$/.test(f))
    .sort()
    .map(async (f) => (await import(pathToFileURL(`${builtInTasksDir}${f}`).href)).default as Task),
);

export const chapterDownloads: Download[] = [
  ...new Map(
    chapterTasks
      .flatMap((t) => t.steps.flatMap((s) => (s.needs ?? []).filter((n): n is Download => typeof n !== 'string')))
      .map((d) => [d.name, d]),
  ).values(),
];

export interface TestHost {
  hostOs: HostOs;
  arch: GuestArch;
  accel: Accel;
  firmware?: Pick<FirmwareChoice, 'mode' | 'code' | 'vars'>;
  settings?: Partial<Settings>;
}

export async function planGuideStep(number: number, host: TestHost): Promise<StepPlan> {
  const task = chapterTasks.find((t) => t.steps.some((s) => s.step === number))!;
  const step = task.steps.find((s) => s.step === number)!;
  const firmware = {
    source: 'distro' as const,
    why: 'test',
    ...(host.firmware ?? { mode: 'bios' as const, code: '/fw.fd' }),
  };
  return planStep(task, step, {
    arch: host.arch,
    hostOs: host.hostOs,
    facts: { accel: { accel: host.accel, why: 'test' }, firmware },
    ...(host.settings ? { settings: host.settings } : {}),
    downloads: async (name) => chapterDownloads.find((d) => d.name === name),
  });
}

export const bootOf = async (number: number, host: TestHost): Promise<Command> =>
  (await planGuideStep(number, host)).boot!;

export const valueOf = (args: readonly string[], flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
};
