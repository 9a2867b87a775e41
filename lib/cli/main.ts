// The CLI: parses the command line, dispatches, and turns errors into text and exit codes —
// the one place that happens.
import { readFileSync } from 'node:fs';
import { ExitCode, KubenetError, formatError, fromSystemError, isKubenetError } from '../errors.js';
import { suggestions } from '../graph/resolve-name.js';
import { detectProfile } from '../host/profile.js';
import { imagesRoot, makePaths } from '../paths.js';
import type { Registry } from '../runner/registry.js';
import type { PlanContext } from '../task.js';
import { commandHelp, mainHelp } from './help.js';
import { parseOptions, type Options } from './options.js';

export interface CommandInput extends PlanContext {
  graph: Registry;
}

type CommandFn = (input: CommandInput) => Promise<number>;

const commands: Record<string, () => Promise<CommandFn>> = {
  list: async () => (await import('./commands/list.js')).list,
  run: async () => (await import('./commands/run.js')).run,
  reset: async () => (await import('./commands/reset.js')).reset,
  prefetch: async () => (await import('./commands/prefetch.js')).prefetch,
  ssh: async () => (await import('./commands/ssh.js')).ssh,
  explain: async () => (await import('./commands/explain.js')).explain,
  guide: async () => (await import('./commands/guide.js')).guide,
  doctor: async () => (await import('./commands/doctor.js')).doctor,
  completion: async () => (await import('./commands/completion.js')).completion,
  __complete: async () => (await import('./commands/complete.js')).complete,
};

export async function main(argv: string[], openGraph: () => Promise<Registry>): Promise<number> {
  // `kubenet list | head`: a reader that goes away is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.ok);
    throw error;
  });
  let opts: Options | undefined;
  try {
    opts = parseOptions(argv);
    if (opts.version) {
      const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return ExitCode.ok;
    }
    const graph = await openGraph();
    if (opts.command === 'help' || opts.help) {
      const topic = opts.command === 'help' ? opts.names[0] : opts.command;
      process.stdout.write(`${(topic && commandHelp[topic]) || mainHelp(graph.names)}\n`);
      return ExitCode.ok;
    }
    const load = commands[opts.command];
    if (!load) {
      const near = suggestions(opts.command, Object.keys(commands).filter((c) => !c.startsWith('__')));
      throw new KubenetError(`unknown command "${opts.command}"${near.length ? `: did you mean ${near.join(' or ')}?` : ''}`, {
        code: ExitCode.usage,
        hint: 'kubenet --help lists the commands',
      });
    }
    const paths = makePaths(imagesRoot(opts.images));
    const profile = detectProfile(opts.arch);
    return await (await load())({ opts, paths, profile, graph });
  } catch (error) {
    process.stderr.write(`${formatError(error, opts?.verbose ?? false)}\n`);
    return isKubenetError(error) ? error.code : (fromSystemError(error)?.code ?? ExitCode.failure);
  }
}
