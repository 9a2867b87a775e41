// Runs tasks in order, deps first, skipping those that are up to date and recording those that
// finish. A task runs one step: the one asked for, else its last (a dep always runs its last).
import { ExitCode, KubenetError, isKubenetError } from '../errors.js';
import { checkStatus, type Status } from '../fingerprint/check.js';
import { sha256File } from '../fingerprint/hash-file.js';
import { identityOf } from '../fingerprint/identity.js';
import { fingerprintInputs, type InputFingerprint } from '../fingerprint/inputs.js';
import { forgetRecord, readRecord, recordDigest, writeRecord, type OutputRecord } from '../fingerprint/state.js';
import type { QemuFacts } from '../host/types.js';
import type { Download, PlanContext, Step, Task } from '../task/types.js';
import { mainStep } from '../task/define.js';
import { editionOf, onlyInNote } from '../task/editions.js';
import type { BootOptions } from './boot-options.js';
import { currentFacts, recordedFacts } from './facts.js';
import { taskFailure } from './task-failure.js';
import type { RunEnv } from './run-env.js';

export interface TaskState {
  task: Task;
  status: Status;
  fingerprint: InputFingerprint;
}

// The status of a task, as `kubenet list` and the runner see it. A dep that will rerun makes
// its dependents' recorded dep digests uncertain; they are judged after it runs.
export function taskStatus(task: Task, ctx: PlanContext): TaskState {
  const inputs = task.inputs?.(ctx) ?? {};
  const depDigests: Record<string, string> = {};
  for (const dep of task.deps) {
    const record = readRecord(ctx.paths.taskState(dep));
    depDigests[dep] = record ? recordDigest(record) : 'never-run';
  }
  const fingerprint = fingerprintInputs(inputs, depDigests);
  const outputs = task.outputs?.(ctx) ?? [];
  const declaresNothing = !task.inputs && !task.outputs;
  const always = task.always ?? (declaresNothing ? 'declares no inputs or outputs' : undefined);
  const status = checkStatus(readRecord(ctx.paths.taskState(task.name)), fingerprint, outputs, always);
  return { task, status, fingerprint };
}

export interface RunInput {
  env: RunEnv;
  tasks: Task[]; // in order, deps first
  steps: Map<string, Step>; // the step asked for, by task name
  downloads: Download[]; // downloads asked for by name
  forced: Set<string>;
  boot: BootOptions;
  vms?: readonly string[]; // --vm
  downloadsByName: (name: string) => Promise<Download | undefined>;
}

export interface RunSummary {
  ran: string[];
  upToDate: string[];
}

export async function runTasks(input: RunInput): Promise<RunSummary> {
  const { env, tasks, forced } = input;
  const { reporter, signal, paths, settings } = env;
  const plan: PlanContext = { settings, paths, arch: env.profile.guestArch };
  const summary: RunSummary = { ran: [], upToDate: [] };
  let facts: Promise<QemuFacts | undefined> | undefined;
  const loadFacts = () =>
    (facts ??= env.dryRun
      ? currentFacts(paths, env.profile, settings).catch(() => undefined)
      : Promise.resolve(recordedFacts(paths, env.profile, settings)));

  for (const download of input.downloads) {
    if (signal.aborted) throw interrupted();
    await reporter.start(download.name, `Download and verify ${download.title}`);
    try {
      await env.downloads.ensure(download);
    } catch (error) {
      reporter.failed(download.name, 'failed'); // its spinner stops: the error is printed once, by the CLI
      throw error;
    }
    reporter.done(download.name, env.dryRun ? 'dry run' : 'verified');
    summary.ran.push(download.name);
  }
  for (const task of tasks) {
    if (signal.aborted) throw interrupted();
    const { status, fingerprint } = taskStatus(task, plan);
    if (status.state === 'done' && !forced.has(task.name)) {
      reporter.skipped(task.name, 'up to date');
      summary.upToDate.push(task.name);
      continue;
    }
    const step = input.steps.get(task.name) ?? mainStep(task);
    const title =
      step.step === undefined || task.steps.length === 1
        ? task.title
        : `step ${step.step}, ${step.title}: ${step.summary}`;
    await reporter.start(task.name, title);
    // A step of the other edition than this host's is run as that edition's step, and says so.
    if (step.onlyIn && step.onlyIn.edition !== editionOf(env.profile.hostOs))
      reporter.note(task.name, onlyInNote(step, env.profile.hostOs)!);
    if (status.state === 'stale') reporter.detail(task.name, `stale: ${status.reason}`);
    const statePath = paths.taskState(task.name);
    const digests = new Map<string, string>();
    try {
      // Forget the old record first: a run that does not finish is never "done".
      if (!env.dryRun) await forgetRecord(paths.root, statePath);
      // Loaded only when a task really runs: the no-op path stays small.
      const { runStep } = await import('./run-step.js');
      await runStep(
        {
          env,
          facts: loadFacts,
          boot: input.boot,
          digests,
          downloadsByName: input.downloadsByName,
          ...(input.vms ? { vms: input.vms } : {}),
        },
        task,
        step,
      );
      if (task.name === '00-qemu' || task.outputs) facts = undefined; // what it recorded is what later tasks use
      if (signal.aborted) throw interrupted();
      if (!env.dryRun) {
        const outputs = await recordOutputs(task.outputs?.(plan) ?? [], digests);
        await writeRecord(paths.root, statePath, {
          task: task.name,
          inputs: fingerprint.digest,
          parts: fingerprint.parts,
          outputs,
          finishedAt: new Date().toISOString(),
        });
      }
      reporter.done(task.name, env.dryRun ? 'dry run' : 'done');
      summary.ran.push(task.name);
    } catch (error) {
      const e = signal.aborted && !isKubenetError(error) ? interrupted(error) : taskFailure(task, error);
      reporter.failed(task.name, 'failed'); // the error itself is printed once, by the CLI
      throw e;
    }
  }
  return summary;
}

async function recordOutputs(paths: string[], digests: Map<string, string>): Promise<OutputRecord[]> {
  const records: OutputRecord[] = [];
  for (const path of paths) {
    const before = identityOf(path);
    if (!before) {
      throw new KubenetError(`the task finished but did not make ${path}`, {
        code: ExitCode.failure,
        hint: 'this is a bug in the task: please report it',
      });
    }
    // The digest the task computed while making the file, else one pass now (small outputs).
    const sha256 = digests.get(path) ?? (await sha256File(path));
    records.push({ path, ...before, sha256 });
  }
  return records;
}

export const interrupted = (cause?: unknown) =>
  new KubenetError('interrupted', {
    code: ExitCode.interrupted,
    cause,
    hint: 'run the same command again: finished work is kept, the interrupted task starts over',
  });
