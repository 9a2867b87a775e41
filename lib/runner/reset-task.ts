// `kubenet reset <task>` for a task that set something up outside images/ (a bridge, a firewall
// chain, a daemon): its own reset runs with a run's context, so its root commands are shown and
// run with consent exactly as a run's are (--yes, or a terminal's prompt).
import type { Profile } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { createContext } from '../task/context.js';
import type { Task } from '../task/types.js';
import { RunDownloads } from './downloads.js';
import { recordedFacts } from './facts.js';
import type { Reporter } from './reporter.js';
import { runEffects } from './run-effects.js';
import type { RunEnv } from './run-env.js';

export interface ResetInput {
  task: Task;
  settings: Settings;
  paths: Paths;
  profile: Profile;
  reporter: Reporter;
  signal: AbortSignal;
}

export async function runTaskReset({ task, settings, paths, profile, reporter, signal }: ResetInput): Promise<void> {
  if (!task.reset) return;
  const arch = profile.guestArch;
  const env: RunEnv = {
    settings,
    paths,
    profile,
    dryRun: false,
    signal,
    reporter,
    downloads: new RunDownloads({
      paths,
      settings,
      arch,
      dryRun: false,
      signal,
      report: { note: () => undefined, progress: () => undefined, show: () => undefined },
    }),
  };
  const ctx = createContext({
    task,
    step: undefined,
    settings,
    paths,
    arch,
    hostOs: profile.hostOs,
    facts: recordedFacts(paths, profile, settings),
    dryRun: false,
    signal,
    effects: runEffects(env, task.name, new Map()),
    downloads: async () => undefined,
  });
  await task.reset(ctx);
}
