// `kubenet run <task…>`: resolve names, plan deps first, run with Ctrl-C wired to an abort.
import { ExitCode, KubenetError } from '../../errors.js';
import { checkImagesDir } from '../../fs/images-dir.js';
import { createReporter, isInteractive } from '../../runner/reporter.js';
import { runTasks } from '../../runner/run-tasks.js';
import type { CommandInput } from '../main.js';

export async function run({ graph, ...plan }: CommandInput): Promise<number> {
  const { opts } = plan;
  if (!opts.names.length) {
    throw new KubenetError('run needs at least one task', { code: ExitCode.usage, hint: `e.g. kubenet run 03-cloud-image (tasks: ${graph.names.join(', ')})` });
  }
  const roots = opts.names.map((n) => graph.resolve(n));
  const tasks = await graph.plan(roots);
  await checkImagesDir(plan.paths.root, { write: !opts.dryRun });
  const reporter = createReporter({ verbose: opts.verbose, interactive: isInteractive() });
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted); // second Ctrl-C: leave now
    reporter.note('kubenet', `${signal}: stopping…`);
    controller.abort(new KubenetError('interrupted', { code: ExitCode.interrupted }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    const summary = await runTasks({ ...plan, tasks, forced: new Set(opts.force ? roots : []), reporter, signal: controller.signal });
    const ran = summary.ran.length;
    const verb = opts.dryRun ? 'would run' : 'ran';
    reporter.print(`${verb} ${ran} task${ran === 1 ? '' : 's'}, ${summary.upToDate.length} up to date`);
    return ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
