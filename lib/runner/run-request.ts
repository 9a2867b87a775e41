// `kubenet run` without the terminal: what the words name, the plan (deps first), and the run.
// The CLI wires Ctrl-C and the reporter around it; tests call it directly.
import { ExitCode, KubenetError } from '../errors.js';
import { checkImagesDir } from '../fs/images-dir.js';
import type { Profile } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import type { Download, Step, Task } from '../task/types.js';
import { mainStep } from '../task/define.js';
import type { BootOptions } from './boot-options.js';
import { RunDownloads } from './downloads.js';
import { preflightDisks } from './preflight-disks.js';
import type { Registry } from './registry.js';
import type { Reporter } from './reporter.js';
import { findStep, resolveTarget, stepOf, type Target } from './resolve-target.js';
import { runTasks, type RunSummary } from './run-tasks.js';

export interface RunRequest {
  graph: Registry;
  settings: Settings;
  paths: Paths;
  profile: Profile;
  words: string[]; // tasks, steps, downloads
  step?: string; // --step
  dryRun: boolean;
  force: boolean;
  vms?: string[]; // --vm
  boot: BootOptions;
  reporter: Reporter;
  signal: AbortSignal;
  notice?: (line: string) => void; // a word that is an old name
}

export async function runRequest(r: RunRequest): Promise<RunSummary> {
  const { graph, profile } = r;
  if (r.words.length === 0 && r.step === undefined) {
    throw new KubenetError('run needs a task, a step or a download', {
      code: ExitCode.usage,
      hint: `e.g. kubenet run 03-cloud-image (tasks: ${graph.names.join(', ')}; kubenet guide lists the steps)`,
    });
  }
  const targets: Target[] = r.words.length
    ? await Promise.all(r.words.map((w) => resolveTarget(graph, w, profile.guestArch)))
    : [await findStep(graph, r.step!)];
  if (r.step !== undefined && r.words.length) {
    if (targets.length !== 1 || targets[0]!.kind !== 'task')
      throw new KubenetError('--step picks a step of one task', {
        code: ExitCode.usage,
        hint: 'e.g. kubenet run 02-live-cd --step network',
      });
    targets[0] = { ...targets[0]!, step: stepOf(targets[0]!.task, r.step) };
  }
  const steps = new Map<string, Step>();
  const downloads: Download[] = [];
  const roots: string[] = [];
  for (const t of targets) {
    if (t.kind === 'download') {
      if (t.formerly)
        r.notice?.(
          `${t.formerly} is now the download ${t.download.name}: the steps that need ` +
            `it fetch it, and kubenet prefetch ${t.download.name} fetches it alone`,
        );
      downloads.push(t.download);
      continue;
    }
    roots.push(t.task.name);
    if (t.step) steps.set(t.task.name, t.step);
    if (t.alsoTask && t.step)
      r.notice?.(
        (
          `${t.step.name} is step ${t.step.step ?? ''} (${t.step.title}) of ` +
          `${t.task.name}: that step runs; the whole task is kubenet run ${t.alsoTask}`
        ).replace(' step  (', ' the step ('),
      );
  }
  const tasks = await graph.plan(roots);
  if (r.vms) refuseVmsWithout(tasks, steps, r.vms);
  // Every download of the graph loads every task file: asked for only when a step needs it (a
  // kept disk's backing file, a download named by a string), so a no-op run loads its own tasks.
  let all: Promise<Download[]> | undefined;
  const allDownloads = () => (all ??= graph.downloads());
  const { settings, paths, dryRun, reporter, signal } = r;
  await checkImagesDir(paths.root, { write: !dryRun }); // a folder kubenet cannot use is said up front
  await preflightDisks(
    paths,
    profile.guestArch,
    tasks.map((task) => ({ task, step: steps.get(task.name) ?? mainStep(task) })),
    allDownloads,
  );
  const env = {
    settings,
    paths,
    profile,
    dryRun,
    signal,
    reporter,
    knownDownloads: allDownloads,
    downloads: new RunDownloads({
      paths,
      settings,
      arch: profile.guestArch,
      dryRun,
      signal,
      report: {
        note: (l: string) => reporter.note('download', l),
        progress: (t: string) => reporter.progress('download', t),
        show: (l: string) => reporter.print(l),
      },
    }),
  };
  const input = {
    env,
    tasks,
    steps,
    downloads,
    forced: new Set(r.force ? roots : []),
    boot: r.boot,
    ...(r.vms ? { vms: r.vms } : {}),
    downloadsByName: async (name: string) => (await allDownloads()).find((d) => d.name === name),
  };
  // Root commands: all shown and agreed to once, before the first change. The preview runs the
  // tasks as a dry run (the step runner and every effect): loaded only when a task may need root.
  const mayNeedRoot = !env.dryRun && tasks.some((t) => t.needsRoot !== undefined);
  const root = mayNeedRoot ? await (await import('./root-preview.js')).consentOnce(input) : undefined;
  return runTasks(root ? { ...input, env: { ...env, root } } : input);
}

// --vm picks VMs of a step done for several (vm-setup, vm-launch, launch-all): a run in which no
// such step runs would ignore it — refused, saying which VM the step boots instead.
function refuseVmsWithout(tasks: readonly Task[], asked: ReadonlyMap<string, Step>, vms: readonly string[]): void {
  const running = tasks.flatMap((t) => {
    const step = asked.get(t.name) ?? mainStep(t);
    return [
      step,
      ...(step.needs ?? []).flatMap((n) => (typeof n === 'string' ? t.steps.filter((s) => s.name === n) : [])),
    ];
  });
  if (running.some((s) => s.vms)) return;
  const step = tasks.map((t) => asked.get(t.name)).find((s) => s !== undefined) ?? mainStep(tasks.at(-1)!);
  const several = tasks.flatMap((t) => t.steps.filter((s) => s.vms).map((s) => s.name));
  throw new KubenetError(
    `--vm ${vms.join(',')}: step ${step.name} ` +
      `${step.vm ? `boots one VM, ${step.vm}` : 'is done for no VM'}, and picks none`,
    {
      code: ExitCode.usage,
      hint:
        `--vm picks the VMs of a step done for ` +
        `several${several.length ? ` (${[...new Set(several)].join(', ')})` : ': kubenet run vm-launch --vm worker1'}`,
    },
  );
}
