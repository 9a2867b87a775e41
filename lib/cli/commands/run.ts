// `kubenet run <task|step|download…>`: the run, with Ctrl-C wired to an orderly stop.
import { ExitCode, KubenetError } from '../../errors.js';
import { createReporter, isInteractive } from '../../runner/reporter.js';
import { runRequest } from '../../runner/run-request.js';
import { onStopSignals } from '../../runner/stop-signals.js';
import type { CommandInput } from '../command-input.js';

export async function run({ line, graph, settings, paths, profile }: CommandInput): Promise<number> {
  const v = line.values;
  const timeout = v.timeout === undefined ? 600 : Number(v.timeout);
  if (!(timeout > 0)) throw new KubenetError(`--timeout ${String(v.timeout)} is not a number of seconds`, { code: ExitCode.usage, hint: 'e.g. --timeout 600' });
  const dryRun = v['dry-run'] === true;
  const { parseSshPort } = await import('../../ssh/ssh-port.js');
  const sshPort = parseSshPort(v['ssh-port'] as string | undefined);
  const reporter = createReporter({ verbose: settings.verbose, interactive: isInteractive() });
  const stop = onStopSignals((text) => reporter.note('kubenet', text));
  try {
    const summary = await runRequest({
      graph, settings, paths, profile, reporter, dryRun,
      words: line.words,
      ...(v.step === undefined ? {} : { step: v.step as string }),
      force: v.force === true,
      ...(v.vm === undefined ? {} : { vms: String(v.vm).split(',').map((w) => w.trim()).filter(Boolean) }),
      boot: {
        headless: v.headless === true, ...(v.until === undefined ? {} : { until: v.until as string }), timeoutMs: timeout * 1000, detach: v.detach === true,
        ...(sshPort === undefined ? {} : { sshPort }),
      },
      signal: stop.signal,
      notice: (text) => process.stderr.write(`kubenet: ${text}\n`),
    });
    const ran = summary.ran.length;
    reporter.print(`${dryRun ? 'would run' : 'ran'} ${ran} task${ran === 1 ? '' : 's'}, ${summary.upToDate.length} up to date`);
    return ExitCode.ok;
  } finally {
    reporter.close();
    stop.dispose();
  }
}
