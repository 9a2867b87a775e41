// The runner's real step operations (lib/runner/run-effects.ts) on a temp images/ folder, with a
// reporter that records what was said, for unit tests of code that runs inside a step.
import type { GuestArch } from '../../lib/host/types.js';
import { makePaths } from '../../lib/paths.js';
import { RunDownloads } from '../../lib/runner/downloads.js';
import type { Reporter } from '../../lib/runner/reporter.js';
import { stepOps } from '../../lib/runner/run-effects.js';
import { normalizeSettings } from '../../lib/settings/settings.js';
import type { StepOps } from '../../lib/step-ops.js';

export interface RecordedContext {
  ctx: StepOps;
  lines: string[]; // notes, details and printed commands, in order
}

export function taskContext(
  root: string,
  { verbose = false, dryRun = false, arch = 'aarch64' as GuestArch } = {},
): RecordedContext {
  const lines: string[] = [];
  const say = (_task: string, line?: string) => void lines.push(line ?? _task);
  const reporter: Reporter = {
    start: async () => undefined,
    progress: () => undefined,
    note: say,
    detail: say,
    print: (text) => void lines.push(text),
    done: () => undefined,
    skipped: () => undefined,
    failed: () => undefined,
    release: () => undefined,
    close: () => undefined,
  };
  const settings = { ...normalizeSettings({ images: root }), verbose };
  const paths = makePaths(root);
  const signal = new AbortController().signal;
  const report = { note: () => undefined, progress: () => undefined, show: () => undefined };
  const ctx = stepOps(
    {
      settings,
      paths,
      profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: arch },
      dryRun,
      signal,
      reporter,
      downloads: new RunDownloads({ paths, settings, arch, dryRun, signal, report }),
    },
    'test',
  );
  return { ctx, lines };
}
