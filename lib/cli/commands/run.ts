// `kubenet run <task|step|download…>`: the run, with Ctrl-C wired to an orderly stop.
import { ExitCode } from '../../errors.js';
import { createReporter, isInteractive } from '../../runner/reporter.js';
import { runRequest } from '../../runner/run-request.js';
import { onStopSignals } from '../../runner/stop-signals.js';
import type { CommandInput } from '../command-input.js';

export async function run({ line, options, graph, settings, paths, profile }: CommandInput<'run'>): Promise<number> {
  const { until, vm: vms, step, 'ssh-port': sshPort, timeout = 600 } = options;
  const dryRun = options['dry-run'] === true;
  const reporter = createReporter({ verbose: settings.verbose, interactive: isInteractive() });
  const stop = onStopSignals((text) => reporter.note('kubenet', text));
  try {
    const summary = await runRequest({
      graph,
      settings,
      paths,
      profile,
      reporter,
      dryRun,
      words: line.words,
      ...(step === undefined ? {} : { step }),
      force: options.force === true,
      ...(vms === undefined ? {} : { vms }),
      boot: {
        headless: options.headless === true,
        detach: options.detach === true,
        timeoutMs: timeout * 1000,
        ...(until === undefined ? {} : { until }),
        ...(sshPort === undefined ? {} : { sshPort }),
      },
      signal: stop.signal,
      notice: (text) => process.stderr.write(`kubenet: ${text}\n`),
    });
    const ran = summary.ran.length;
    reporter.print(
      `${dryRun ? 'would run' : 'ran'} ${ran} task${ran === 1 ? '' : 's'}, ${summary.upToDate.length} up to date`,
    );
    return ExitCode.ok;
  } finally {
    reporter.close();
    stop.dispose();
  }
}
