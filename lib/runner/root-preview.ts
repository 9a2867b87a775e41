// One consent per run. A run with a task that may need root (its `needsRoot`) first looks: the
// same tasks run as a dry run would — checks run, nothing changes, nothing prints — and every
// command they would run as root is collected with its reason (root-commands.ts). Any refusal
// (a VM that runs, a bridge that is not kubenet's, an address range in use) comes out of this
// pass, before the first change. Then every root command is shown together, one question is
// asked (or --yes), and the run acts without asking again.
import { ExitCode, KubenetError } from '../errors.js';
import { askSudoPassword, isRoot } from '../process/run-process.js';
import { RunDownloads } from './downloads.js';
import { createReporter } from './reporter.js';
import { consentToRun, type RootEntry, type RootSession } from './root-commands.js';
import { rootRunOf } from './run-effects.js';
import { runTasks, type RunInput } from './run-tasks.js';

// Called by run-request.ts only for a real run with a task that may need root.
export async function consentOnce(input: RunInput): Promise<RootSession | undefined> {
  const { env } = input;
  const preview: RootEntry[] = [];
  const quiet = createReporter({ verbose: false, interactive: false, write: () => undefined });
  const { paths, settings, profile, signal } = env;
  const looking = {
    ...env,
    dryRun: true,
    reporter: quiet,
    root: { preview, consented: false },
    downloads: new RunDownloads({
      paths,
      settings,
      arch: profile.guestArch,
      dryRun: true,
      signal,
      report: { note: () => undefined, progress: () => undefined, show: () => undefined },
    }),
  };
  await runTasks({ ...input, env: looking, downloads: [] });
  if (preview.length === 0) return undefined;
  const r = rootRunOf(env, input.tasks[0]!.name);
  await consentToRun(r, preview);
  // sudo asks for the password now, once, while this terminal is there to answer.
  if (!isRoot() && r.interactive) {
    if (!(await askSudoPassword())) {
      throw new KubenetError('sudo did not accept the password: nothing was run or changed', {
        code: ExitCode.host,
        hint: 'run again and give your password, or pass --yes where sudo needs none',
      });
    }
  }
  return { consented: true };
}
