// Builds what a running task gets: facts, command execution (or printing, in --dry-run),
// and reporting through the runner.
import type { Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import { detectFacts } from '../host/detect.js';
import { readRecordedFacts } from '../host/recorded-facts.js';
import type { QemuFacts } from '../host/types.js';
import { formatCommand, formatCommandLine } from '../qemu/format-command.js';
import type { PlanContext, TaskContext } from '../task.js';
import type { Reporter } from './reporter.js';

export interface ContextInput extends PlanContext {
  task: string;
  reporter: Reporter;
  signal: AbortSignal;
  digests: Map<string, string>;
}

export function createContext(input: ContextInput): TaskContext {
  const { opts, paths, profile, reporter, task, signal, digests } = input;
  const dryRun = opts.dryRun;
  let facts: Promise<QemuFacts> | undefined;
  // QEMU commands in the guide's multi-line form, short ones (qemu-img, wget) on one line as the guide has them.
  const show = (cmd: Command | string) => {
    if (typeof cmd === 'string') return reporter.print(cmd);
    const format = cmd.exe.startsWith('qemu-system-') ? formatCommand : formatCommandLine;
    reporter.print(format({ exe: cmd.exe, args: cmd.args, sudo: cmd.sudo ?? false }));
  };
  return {
    opts,
    paths,
    profile,
    task,
    dryRun,
    verbose: opts.verbose,
    signal,
    facts: () => (facts ??= loadFacts(input)),
    show,
    async exec(cmd, options = {}) {
      if (dryRun) {
        show(cmd);
        return { stdout: '', stderr: '' };
      }
      if (opts.verbose) show(cmd);
      const { $ } = await import('zx');
      const argv = cmd.sudo ? ['sudo', cmd.exe, ...cmd.args] : [cmd.exe, ...cmd.args];
      if (cmd.sudo && cmd.sudoReason) reporter.note(task, `sudo: ${cmd.sudoReason}`);
      const p = $({ cwd: options.cwd ?? paths.root, quiet: !opts.verbose || options.quiet === true, signal, nothrow: true, verbose: false })`${argv}`;
      const out = await p;
      if (out.exitCode !== 0) {
        const stderr = out.stderr.trim();
        throw new KubenetError(`${argv.join(' ')} exited with ${out.exitCode ?? out.signal}`, {
          code: ExitCode.failure,
          details: stderr ? stderr.split('\n').slice(-15).join('\n') : undefined,
          hint: 'rerun with --verbose to see the command and its output',
        });
      }
      return { stdout: out.stdout, stderr: out.stderr };
    },
    note: (line) => reporter.note(task, line),
    detail: (line) => reporter.detail(task, line),
    progress: (text) => reporter.progress(task, text),
    useTerminal: () => reporter.release(),
    digest: (path, sha256) => digests.set(path, sha256),
  };
}

async function loadFacts({ paths, profile, opts }: ContextInput): Promise<QemuFacts> {
  const recorded = readRecordedFacts(paths.facts, profile.guestArch);
  if (recorded) return recorded;
  if (opts.dryRun) return detectFacts({ profile, accel: opts.accel, firmware: opts.firmware });
  throw new KubenetError(`no QEMU facts for ${profile.guestArch} in ${paths.facts}`, {
    code: ExitCode.host,
    hint: `run: kubenet run 00-qemu --arch ${profile.guestArch}`,
  });
}
