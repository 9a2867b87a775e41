// `kubenet doctor`: checks the host before a long download, one line per check.
import { gatherHost } from '../../doctor/gather.js';
import { doctorExitCode, formatResults, runChecks } from '../../doctor/run-checks.js';
import type { CommandInput } from '../main.js';

export async function doctor({ opts, paths, profile }: CommandInput): Promise<number> {
  const host = await gatherHost({ profile, paths, net: opts.net, accel: opts.accel, firmware: opts.firmware });
  const results = runChecks(host);
  process.stdout.write(opts.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatResults(results)}\n`);
  return doctorExitCode(results);
}
