// `task({…})` and `download({…})`: what a task file exports. They check a declaration's shape when
// the file is loaded, so a typo is a clear error naming the file's task, and do no other work.
import { posix } from 'node:path';
import type { GuestArch } from '../host/types.js';
import type {
  Download,
  DownloadChoice,
  Elsewhere,
  Inputs,
  Moved,
  PlanContext,
  Step,
  Task,
  TaskContext,
} from './types.js';

const namePattern = /^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
const wordPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface TaskSpec {
  name: string;
  title: string;
  deps?: readonly string[];
  steps?: readonly Step[];
  // A task without steps: one step that runs this (a user's own task, usually).
  run?(ctx: TaskContext): Promise<void>;
  inputs?(ctx: PlanContext): Inputs;
  outputs?(ctx: PlanContext): string[];
  always?: string;
  main?: string; // the step `kubenet run <task>` runs when not the last (the last may be a test boot)
  reset?(ctx: TaskContext): Promise<void>;
  needsRoot?: string; // what it may run as root: the run then asks once, for every root command
}

// The step `kubenet run <task>` runs, and a dependent task's run: `main`, else the last.
export const mainStep = (task: Task): Step => task.steps.find((s) => s.name === task.main) ?? task.steps.at(-1)!;

export function task(spec: TaskSpec): Task {
  const fail = (why: string) => new TypeError(`task ${JSON.stringify(spec.name)}: ${why}`);
  if (!namePattern.test(spec.name)) throw fail('a task name looks like NN-kebab-name (e.g. 04-my-step)');
  if (spec.steps && spec.run) throw fail('give steps or run, not both');
  const steps =
    spec.steps ?? (spec.run ? [{ name: 'run', title: spec.title, summary: spec.title, make: spec.run }] : []);
  if (steps.length === 0) throw fail('a task needs steps (or run)');
  const seen = new Set<string>();
  for (const step of steps) {
    if (!wordPattern.test(step.name)) throw fail(`step name ${JSON.stringify(step.name)} is not kebab-case`);
    if (seen.has(step.name)) throw fail(`two steps are named ${step.name}`);
    for (const need of step.needs ?? []) {
      if (typeof need === 'string' && !seen.has(need))
        throw fail(`step ${step.name} needs ${need}, which is not an earlier step of this task`);
    }
    seen.add(step.name);
  }
  const numbers = steps.flatMap((s) => (s.step === undefined ? [] : [s.step]));
  if (new Set(numbers).size !== numbers.length) throw fail('two steps share a number');
  if (spec.main !== undefined && !seen.has(spec.main))
    throw fail(`main names ${spec.main}, which is not a step of this task`);
  for (const step of steps)
    if (step.vm !== undefined && step.vms)
      throw fail(`step ${step.name} gives vm and vms: one VM, or a step done for several`);
  const boots = (steps.find((s) => s.name === spec.main) ?? steps.at(-1)!).boot !== undefined;
  return Object.freeze({
    name: spec.name,
    title: spec.title,
    deps: [...(spec.deps ?? [])],
    steps: steps.map((s) => Object.freeze({ ...s })),
    ...(spec.inputs ? { inputs: spec.inputs } : {}),
    ...(spec.outputs ? { outputs: spec.outputs } : {}),
    ...((spec.always ?? boots) ? { always: spec.always ?? 'boots a VM' } : {}),
    ...(spec.main ? { main: spec.main } : {}),
    ...(spec.reset ? { reset: spec.reset } : {}),
    ...(spec.needsRoot ? { needsRoot: spec.needsRoot } : {}),
  });
}

type Arch = { arch: GuestArch; ubuntuArch: 'arm64' | 'amd64' };

export interface DownloadSpec {
  name: string;
  title: string;
  formerly?: string;
  url(arch: Arch): string; // the guide's
  // Where else upstream publishes such a file, asked in order after the guide's URL: the first
  // whose SHA256SUMS lists one of the shape wins (lib/download/find-elsewhere.ts).
  elsewhere?(arch: Arch): readonly Elsewhere[];
  moved?: Moved; // why the guide's URL may have none, and the ways on without it
  choice?: DownloadChoice; // the setting that picks the user's own file or URL instead
  approxBytes?(arch: Arch): number; // roughly, for doctor
  // The most it can be: a body past it stops and is deleted (default: 4 × approxBytes, else 64 GiB).
  maxBytes?(arch: Arch): number;
}

export function download(spec: DownloadSpec): Download {
  const fail = (why: string) => new TypeError(`download ${JSON.stringify(spec.name)}: ${why}`);
  if (!wordPattern.test(spec.name)) throw fail('its name is not kebab-case');
  const named = (arch: GuestArch) => ({
    arch,
    ubuntuArch: arch === 'aarch64' ? ('arm64' as const) : ('amd64' as const),
  });
  const url = (arch: GuestArch) => spec.url(named(arch));
  const elsewhere = (arch: GuestArch) => {
    const places = spec.elsewhere!(named(arch));
    for (const p of places)
      if (!/^https:\/\/[^/]+\/(.*\/)?$/.test(p.dir))
        throw fail(`elsewhere: ${p.dir} is not an https directory (ending in /)`);
    return places;
  };
  return Object.freeze({
    kind: 'download' as const,
    name: spec.name,
    title: spec.title,
    ...(spec.formerly ? { formerly: spec.formerly } : {}),
    url,
    file: (arch: GuestArch) => posix.basename(new URL(url(arch)).pathname),
    ...(spec.elsewhere ? { elsewhere } : {}),
    ...(spec.moved ? { moved: spec.moved } : {}),
    ...(spec.choice ? { choice: spec.choice } : {}),
    ...(spec.approxBytes ? { approxBytes: (arch: GuestArch) => spec.approxBytes!(named(arch)) } : {}),
    ...(spec.maxBytes || spec.approxBytes
      ? { maxBytes: (arch: GuestArch) => spec.maxBytes?.(named(arch)) ?? 4 * spec.approxBytes!(named(arch)) }
      : {}),
  });
}

export const isDownload = (value: unknown): value is Download => (value as Download)?.kind === 'download';

export function splitName(name: string): { number: string; short: string } {
  const m = namePattern.exec(name);
  return m ? { number: m[1]!, short: m[2]! } : { number: '', short: name };
}
