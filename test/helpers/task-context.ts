// A real TaskContext (lib/runner/context.ts) on a temp images/ folder, with a reporter that
// records what the task said, for unit tests of code that runs inside a task.
import { parseOptions } from '../../lib/cli/options.js';
import type { GuestArch } from '../../lib/host/types.js';
import { makePaths } from '../../lib/paths.js';
import type { Reporter } from '../../lib/runner/reporter.js';
import { createContext } from '../../lib/runner/context.js';
import type { TaskContext } from '../../lib/task.js';

export interface RecordedContext {
  ctx: TaskContext;
  lines: string[]; // notes, details and printed commands, in order
}

export function taskContext(root: string, { argv = [] as string[], arch = 'aarch64' as GuestArch } = {}): RecordedContext {
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
  };
  const ctx = createContext({
    opts: parseOptions(['run', 'test', ...argv]),
    paths: makePaths(root),
    profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: arch },
    task: 'test',
    reporter,
    signal: new AbortController().signal,
    digests: new Map(),
  });
  return { ctx, lines };
}
