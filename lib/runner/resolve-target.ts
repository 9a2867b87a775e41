// What a word on the command line names. A task in full (03-cloud-image), by its two-digit number
// (03) or its short name (cloud-image); a step by its name (network, cloud-init) or its number in
// the guide (6, 11: no leading zero); a download by its name (cloud-img), its file name, or the
// task name it had before downloads were file targets (13-cloud-img).
import { ExitCode, KubenetError } from '../errors.js';
import { suggestions } from '../suggestions.js';
import type { GuestArch } from '../host/types.js';
import { splitName } from '../task/define.js';
import type { Download, Step, Task } from '../task/types.js';
import type { Registry } from './registry.js';

export type Target =
  // no step: the task's last; alsoTask: the word was that task's short name too
  | { kind: 'task'; task: Task; step?: Step; alsoTask?: string }
  | { kind: 'download'; download: Download; formerly?: string };

const usage = (message: string, hint: string) => new KubenetError(message, { code: ExitCode.usage, hint });

// A task by name, without loading any other (the no-op path).
export function taskNameOf(word: string, names: readonly string[]): string | undefined {
  if (names.includes(word)) return word;
  const matches = names.filter((n) => {
    const { number, short } = splitName(n);
    return number === word || short === word;
  });
  return matches.length === 1 ? matches[0] : undefined;
}

// A task's short name that is also a step's name (live-cd, cloud-image) names the step — the task
// goes by its full name or number — unless only a task can be meant (`prefer: 'task'`: reset).
export async function resolveTarget(
  graph: Registry,
  word: string,
  arch: GuestArch,
  { prefer = 'step' }: { prefer?: 'step' | 'task' } = {},
): Promise<Target> {
  const name = taskNameOf(word, graph.names);
  if (name && (prefer === 'task' || name === word || splitName(name).number === word))
    return { kind: 'task', task: await graph.load(name) };
  if (name) {
    const steps = (await graph.all()).flatMap((task) =>
      task.steps.filter((step) => step.name === word).map((step) => ({ task, step })),
    );
    if (steps.length === 1) return { kind: 'task', task: steps[0]!.task, step: steps[0]!.step, alsoTask: name };
    return { kind: 'task', task: await graph.load(name) };
  }
  const tasks = await graph.all();
  const found: Target[] = [];
  for (const task of tasks)
    for (const step of task.steps) if (stepMatches(step, word)) found.push({ kind: 'task', task, step });
  for (const d of await graph.downloads(tasks)) {
    if (d.formerly === word) found.push({ kind: 'download', download: d, formerly: word });
    else if (d.name === word || d.file(arch) === word || (d.elsewhere?.(arch) ?? []).some((p) => p.file.test(word)))
      found.push({ kind: 'download', download: d });
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw usage(
      `"${word}" names more than one thing: ${found.map(describe).join(', ')}`,
      'name the task in full, with --step for a step',
    );
  const words = [
    ...graph.names,
    ...tasks.flatMap((t) => t.steps.map((s) => s.name)),
    ...(await graph.downloads(tasks)).map((d) => d.name),
  ];
  const near = suggestions(word, [...new Set(words)]);
  throw usage(
    `"${word}" is not a task, a step or a download${near.length ? `: did you mean ${near.join(' or ')}?` : ''}`,
    'kubenet list shows the tasks and their steps; kubenet guide the steps in order',
  );
}

// --step N or --step NAME inside a task.
export function stepOf(task: Task, word: string): Step {
  const step = task.steps.find((s) => stepMatches(s, word));
  if (step) return step;
  const known = task.steps.map((s) => (s.step === undefined ? s.name : `${s.step} (${s.name})`)).join(', ');
  throw usage(`${task.name} has no step ${word}`, `its steps: ${known}; kubenet guide lists every step`);
}

// --step without a task: the step of whichever task has it.
export async function findStep(graph: Registry, word: string): Promise<Target> {
  for (const task of await graph.all()) {
    const step = task.steps.find((s) => stepMatches(s, word));
    if (step) return { kind: 'task', task, step };
  }
  throw usage(`no task has a step ${word}`, 'kubenet guide lists the steps');
}

const stepMatches = (step: Step, word: string) =>
  step.name === word || (/^[1-9]\d*$/.test(word) && step.step === Number(word));

export function describe(target: Target): string {
  if (target.kind === 'download') return `the download ${target.download.name}`;
  if (!target.step) return `the task ${target.task.name}`;
  return `step ${target.step.step ?? ''} ${target.step.name} of ${target.task.name}`.replace('  ', ' ');
}
