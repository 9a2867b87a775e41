// What a run (kubenet run, reset, and --dry-run) hands every part of it: its settings and folder,
// the host's profile, whether it only prints, its Ctrl-C, its reporter, its downloads and the
// run's one consent to root commands.
import type { Profile } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import type { Download } from '../task/types.js';
import type { RunDownloads } from './downloads.js';
import type { Reporter } from './reporter.js';
import type { RootSession } from './root-commands.js';

export interface RunEnv {
  // every download of the graph: what a kept disk may be backed by (loads every task file: asked only then)
  knownDownloads?: () => Promise<readonly Download[]>;
  settings: Settings;
  paths: Paths;
  profile: Profile;
  dryRun: boolean;
  signal: AbortSignal;
  reporter: Reporter;
  downloads: RunDownloads;
  root?: RootSession; // the run's one consent to its root commands (root-preview.ts)
}
