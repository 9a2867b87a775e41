// A child process that runs fake tasks, for kill -9 tests: node run-fake.js TASKS_DIR IMAGES_DIR NAME…
import { makePaths } from '../../lib/paths.js';
import { Registry } from '../../lib/runner/registry.js';
import { createReporter } from '../../lib/runner/reporter.js';
import { runRequest } from '../../lib/runner/run-request.js';
import { normalizeSettings } from '../../lib/settings/settings.js';

const [tasksDir, imagesDir, ...names] = process.argv.slice(2);
const settings = normalizeSettings({ images: imagesDir! });
await runRequest({
  graph: await Registry.open([{ dir: tasksDir!, builtIn: false }]),
  settings,
  paths: makePaths(settings.images),
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
  words: names,
  dryRun: false,
  force: false,
  boot: { headless: true, timeoutMs: 60_000 },
  reporter: createReporter({ verbose: false, interactive: false }),
  signal: new AbortController().signal,
});
