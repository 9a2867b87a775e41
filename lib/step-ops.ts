// What the helpers behind a step's effects (making a disk once, writing a seed, generating a key)
// may do: run a command in images/ (or print it in --dry-run) and report through the runner.
import type { Command } from './command.js';
import type { Paths } from './paths.js';

export interface StepOps {
  paths: Paths;
  dryRun: boolean;
  verbose: boolean;
  signal: AbortSignal;
  // `env`: variables added to kubenet's own (KUBECONFIG for the guide's `kubectl config` without --kubeconfig).
  exec(
    command: Command,
    options?: { quiet?: boolean; cwd?: string; env?: Record<string, string> },
  ): Promise<{ stdout: string; stderr: string }>;
  show(command: Command | string): void; // print in the guide's form
  note(line: string): void;
  detail(line: string): void;
}
