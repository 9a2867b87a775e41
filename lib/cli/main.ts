// The CLI: parses the command line, dispatches, and turns errors into text and exit codes — the
// one place that happens.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, formatError, fromSystemError, isKubenetError, KubenetError } from '../errors.js';
import { detectProfile } from '../host/profile.js';
import { makePaths } from '../paths.js';
import { Registry, type TaskFolder } from '../runner/registry.js';
import { loadSettings } from '../settings/settings.js';
import type { CommandFn } from './command-input.js';
import { commandOptions } from './command-options.js';
import type { CommandName } from './option-specs.js';
import { speak, speakThrough } from './cli-name.js';
import { parseCommandLine } from './parse-command-line.js';

const commands: { [C in CommandName]: () => Promise<CommandFn<C>> } = {
  list: async () => (await import('./commands/list.js')).list,
  run: async () => (await import('./commands/run.js')).run,
  reset: async () => (await import('./commands/reset.js')).reset,
  prefetch: async () => (await import('./commands/prefetch.js')).prefetch,
  import: async () => (await import('./commands/import.js')).importFiles,
  cache: async () => (await import('./commands/cache.js')).cache,
  ssh: async () => (await import('./commands/ssh.js')).ssh,
  delete: async () => (await import('./commands/delete.js')).deleteVms,
  console: async () => (await import('./commands/console.js')).consoleCommand,
  'ssh-config': async () => (await import('./commands/ssh-config.js')).sshConfigCommand,
  cp: async () => (await import('./commands/cp.js')).cp,
  certs: async () => (await import('./commands/certs.js')).certs,
  status: async () => (await import('./commands/status.js')).status,
  stop: async () => (await import('./commands/stop.js')).stop,
  explain: async () => (await import('./commands/explain.js')).explain,
  guide: async () => (await import('./commands/guide.js')).guide,
  doctor: async () => (await import('./commands/doctor.js')).doctor,
  config: async () => (await import('./commands/config.js')).config,
  completion: async () => (await import('./commands/completion.js')).completion,
  help: async () => (await import('./commands/help.js')).help,
  __complete: async () => (await import('./commands/complete.js')).complete,
};

export interface MainInput {
  builtInTasks: string; // the package's compiled task folder
  packageRoot: string;
}

export async function main(argv: string[], where: MainInput): Promise<number> {
  // `kubenet list | head`: a reader that goes away is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.ok);
    throw error;
  });
  let verbose = false;
  let spoken = false;
  try {
    const line = parseCommandLine(argv);
    // Scripts (completion) and versions are output as they are; everything else speaks.
    if (!['completion', '__complete', 'version'].includes(line.command)) {
      speakThrough(process.stdout);
      speakThrough(process.stderr);
      spoken = true;
    }
    if (line.command === 'version') {
      const pkg = JSON.parse(readFileSync(join(where.packageRoot, 'package.json'), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return ExitCode.ok;
    }
    verbose = line.values.verbose === true;
    // `kubenet run --help` is help about run; else every option's value is parsed before any work.
    const command = (line.values.help === true && line.command !== 'help' ? 'help' : line.command) as CommandName;
    const options = command === line.command ? commandOptions(command, line.values) : {};
    const words = command === line.command ? line.words : [line.command];
    const settings = await loadSettings(line.values);
    const paths = makePaths(settings.images);
    const profile = detectProfile(settings.arch);
    const folders: TaskFolder[] = [
      { dir: where.builtInTasks, builtIn: true },
      ...userTaskFolders(settings.tasks, where.packageRoot),
    ];
    const graph = await Registry.open(folders, { path: paths.taskFiles, root: paths.root });
    const run = (await commands[command]()) as CommandFn;
    return await run({ line: { ...line, words }, options, settings, paths, profile, graph });
  } catch (error) {
    const text = formatError(error, verbose);
    process.stderr.write(`${spoken ? text : speak(text)}\n`);
    return isKubenetError(error) ? error.code : (fromSystemError(error)?.code ?? ExitCode.failure);
  }
}

// --tasks DIR, else ./tasks when it exists — unless that is kubenet's own source folder (a clone;
// the package installed from its tarball has none).
export function userTaskFolders(option: string | undefined, packageRoot: string): TaskFolder[] {
  const dir = resolve(option ?? 'tasks');
  if (!existsSync(dir)) {
    if (option === undefined) return [];
    throw new KubenetError(`tasks folder ${option}: no such folder`, {
      code: ExitCode.usage,
      hint: 'give the folder that holds your NN-name.ts task files (--tasks DIR)',
    });
  }
  const own = join(packageRoot, 'tasks');
  if (option === undefined && existsSync(own) && realpathSync(dir) === realpathSync(own)) return [];
  return [{ dir, builtIn: false }];
}
