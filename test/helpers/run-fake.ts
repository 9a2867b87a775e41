// A child process that runs fake tasks, for kill -9 tests: node run-fake.js TASKS_DIR IMAGES_DIR NAME…
import { Registry } from '../../lib/runner/registry.js';
import { runTasks } from '../../lib/runner/run-tasks.js';
import { createReporter } from '../../lib/runner/reporter.js';
import { parseOptions } from '../../lib/cli/options.js';
import { makePaths } from '../../lib/paths.js';

const [tasksDir, imagesDir, ...names] = process.argv.slice(2);
const graph = await Registry.open(tasksDir!);
const opts = parseOptions(['run', ...names]);
await runTasks({
  opts,
  paths: makePaths(imagesDir!),
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
  tasks: await graph.plan(names),
  forced: new Set(),
  reporter: createReporter({ verbose: false, interactive: false }),
  signal: new AbortController().signal,
});
