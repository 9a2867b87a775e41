// A task file is a declaration: name, title, the guide step it mirrors, deps, inputs, outputs,
// and a `run` that reads like the guide's shell lines. Importing one does no work.
import type { Paths } from './paths.js';
import type { Profile, QemuFacts } from './host/types.js';
import type { Options } from './cli/options.js';
import type { Command } from './command.js';

// What a task may look at to say what it depends on and what it makes: cheap, no probing.
export interface PlanContext {
  opts: Options;
  paths: Paths;
  profile: Profile;
}

export interface Inputs {
  values?: Record<string, unknown>; // option values whose change makes the task stale
  files?: string[]; // files whose change makes the task stale
}

export interface ProgressUpdate {
  text: string;
}

// What a running task gets. The runner alone owns the terminal: tasks report through here.
export interface TaskContext extends PlanContext {
  task: string;
  dryRun: boolean;
  verbose: boolean;
  signal: AbortSignal;
  // Host facts recorded by 00-qemu (detected on the fly in --dry-run when not recorded yet).
  facts(): Promise<QemuFacts>;
  // Run a command from an argv array; in --dry-run print it in the guide's form instead.
  exec(command: Command, options?: { cwd?: string; quiet?: boolean }): Promise<{ stdout: string; stderr: string }>;
  // Print a command in the guide's form without running it (what the guide shows for this step).
  show(command: Command | string): void;
  note(line: string): void; // always shown
  detail(line: string): void; // shown with --verbose
  progress(text: string): void; // spinner text on a terminal, throttled lines otherwise
  useTerminal(): void; // hand the terminal to a VM's console (stops the spinner)
  // The SHA-256 of an output computed while it was made, so the runner never re-reads it.
  digest(path: string, sha256: string): void;
}

export interface Task {
  name: string; // NN-kebab-name
  title: string;
  guide: string; // the guide step(s) it mirrors, e.g. "step 1"
  deps: string[];
  inputs?(ctx: PlanContext): Inputs | Promise<Inputs>;
  outputs?(ctx: PlanContext): string[];
  // A task that is never up to date says why (booting a VM is the point of running it).
  always?: string;
  // A task that runs a cheap check even when up to date says what it checks (a download asks
  // upstream whether SHA256SUMS changed); with --offline it is skipped like any other.
  revalidate?: string;
  // Artifacts this task downloads (for `kubenet prefetch`).
  artifacts?(ctx: PlanContext): { url: string }[];
  // Files that only `kubenet reset <task>` deletes (a user's disk, a VM's overlay).
  precious?(ctx: PlanContext): string[];
  run(ctx: TaskContext): Promise<void>;
}

const namePattern = /^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

// Checks a declaration's shape at load time, so a typo in a task file is a clear error.
export function defineTask(task: Task): Task {
  if (!namePattern.test(task.name)) {
    throw new TypeError(`task name "${task.name}" must look like NN-kebab-name (e.g. 03-cloud-image)`);
  }
  return Object.freeze({ ...task, deps: [...task.deps] });
}

export function splitName(name: string): { number: string; short: string } {
  const m = namePattern.exec(name);
  if (!m) return { number: '', short: name };
  return { number: m[1]!, short: m[2]! };
}
