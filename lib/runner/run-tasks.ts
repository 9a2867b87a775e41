// Runs tasks in order, skipping those that are up to date, recording those that finish.
import { ExitCode, KubenetError, isKubenetError } from '../errors.js';
import { checkStatus, type Status } from '../fingerprint/check.js';
import { sha256File } from '../fingerprint/hash-file.js';
import { identityOf } from '../fingerprint/identity.js';
import { fingerprintInputs, type InputFingerprint } from '../fingerprint/inputs.js';
import { forgetRecord, readRecord, recordDigest, writeRecord, type OutputRecord } from '../fingerprint/state.js';
import type { PlanContext, Task } from '../task.js';
import type { Reporter } from './reporter.js';

export interface TaskState {
  task: Task;
  status: Status;
  fingerprint: InputFingerprint;
}

// The status of each task in order, as `kubenet list` and the runner see it. A dep that will
// rerun makes its dependents' recorded dep digests uncertain; they are judged after it runs.
export async function taskStatus(task: Task, ctx: PlanContext): Promise<TaskState> {
  const inputs = (await task.inputs?.(ctx)) ?? {};
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

export interface RunInput extends PlanContext {
  tasks: Task[];
  forced: Set<string>;
  reporter: Reporter;
  signal: AbortSignal;
}

export interface RunSummary {
  ran: string[];
  upToDate: string[];
}

export async function runTasks(input: RunInput): Promise<RunSummary> {
  const { tasks, forced, reporter, signal, ...plan } = input;
  const summary: RunSummary = { ran: [], upToDate: [] };
  for (const task of tasks) {
    if (signal.aborted) throw interrupted();
    const { status, fingerprint } = await taskStatus(task, plan);
    const recheck = task.revalidate !== undefined && !plan.opts.offline && !plan.opts.dryRun;
    if (status.state === 'done' && !forced.has(task.name) && !recheck) {
      reporter.skipped(task.name, 'up to date');
      summary.upToDate.push(task.name);
      continue;
    }
    await reporter.start(task.name, task.title);
    if (status.state === 'stale') reporter.detail(task.name, `stale: ${status.reason}`);
    if (status.state === 'done' && recheck) reporter.detail(task.name, `up to date here; ${task.revalidate}`);
    const statePath = plan.paths.taskState(task.name);
    const digests = new Map<string, string>();
    // Loaded only when a task really runs: the no-op path stays small.
    const { createContext } = await import('./context.js');
    const ctx = createContext({ ...plan, task: task.name, reporter, signal, digests });
    try {
      // Forget the old record first: a run that does not finish is never "done".
      if (!plan.opts.dryRun) await forgetRecord(statePath);
      await task.run(ctx);
      if (signal.aborted) throw interrupted();
      if (!plan.opts.dryRun) {
        const outputs = await recordOutputs(task.outputs?.(plan) ?? [], digests);
        await writeRecord(statePath, {
          task: task.name,
          inputs: fingerprint.digest,
          parts: fingerprint.parts,
          outputs,
          finishedAt: new Date().toISOString(),
        });
      }
      reporter.done(task.name, plan.opts.dryRun ? 'dry run' : 'done');
      summary.ran.push(task.name);
    } catch (error) {
      const e = signal.aborted && !isKubenetError(error) ? interrupted(error) : error;
      reporter.failed(task.name, isKubenetError(e) ? e.message : 'failed');
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
      throw new KubenetError(`the task finished but did not make ${path}`, { code: ExitCode.failure, hint: 'this is a bug in the task: please report it' });
    }
    // The digest the task computed while making the file, else one pass now (small outputs).
    const sha256 = digests.get(path) ?? (await sha256File(path));
    records.push({ path, ...before, sha256 });
  }
  return records;
}

export const interrupted = (cause?: unknown) =>
  new KubenetError('interrupted', { code: ExitCode.interrupted, cause, hint: 'run the same command again: finished work is kept, the interrupted task starts over' });
