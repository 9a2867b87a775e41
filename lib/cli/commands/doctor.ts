// `kubenet doctor`: checks the host before a long download, one line per check.
import { pendingDownloads } from '../../doctor/download-sizes.js';
import { gatherHost } from '../../doctor/gather.js';
import { nameHere } from '../../runner/download-names.js';
import { doctorExitCode, formatResults, runChecks } from '../../doctor/run-checks.js';
import type { CommandInput } from '../command-input.js';

export async function doctor({ options, graph, settings, paths, profile }: CommandInput<'doctor'>): Promise<number> {
  const pending = pendingDownloads(
    paths,
    profile.guestArch,
    await graph.downloads(),
    (d) => nameHere(d, profile.guestArch, { paths, settings }).file,
  );
  const host = await gatherHost({
    profile,
    paths,
    net: settings.net,
    accel: settings.accel,
    firmware: settings.firmware,
    pending,
    ...(settings.cluster ? { cluster: settings.cluster } : {}),
  });
  const results = runChecks(host);
  process.stdout.write(options.json === true ? `${JSON.stringify(results, null, 2)}\n` : `${formatResults(results)}\n`);
  return doctorExitCode(results);
}
