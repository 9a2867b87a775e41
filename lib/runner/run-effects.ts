// The effects of a real run (and of --dry-run, which prints instead): commands through zx in
// images/, root commands with consent, downloads fetched, the host detected — and, from their own
// files, those on files under images/ and on VMs.
import { mkdir } from 'node:fs/promises';
import { authToolHint, installHint, isAuthTool, kubectlCrashed } from '../host/install-hint.js';
import { which } from '../host/which.js';
import { confirm } from './prompt.js';
import { pipelineOf, type Command } from '../command.js';
import { runCommandArgv } from '../process/run-command.js';
import { argvToRun, failureText } from '../process/run-process.js';
import { ExitCode, KubenetError } from '../errors.js';
import type { Profile, QemuFacts } from '../host/types.js';
import { formatAny, formatCommandLine } from '../qemu/format-command.js';
import type { Effects } from '../task/context.js';
import type { StepOps } from '../step-ops.js';
import type { RunFlags, ShellOutput } from '../task/shell.js';
import { consent, runAsRoot, withoutNeedlessSudo, type RootRun } from './root-commands.js';
import { factsRecord } from './facts.js';
import { fileEffects } from './file-effects.js';
import type { RunEnv } from './run-env.js';
import { vmEffects, type OnSeed } from './vm-effects.js';
import { startBackground } from './background-process.js';
import { mergeKubeconfig as mergeIntoKubeconfig } from '../auth/local-kubeconfig.js';
import { detectFacts } from '../host-probe/detect.js';
import { writeJson } from '../fs/json-file.js';

export function stepOps(env: RunEnv, task: string): StepOps {
  const { paths, settings, reporter, signal } = env;
  const show = (command: Command | string) =>
    reporter.print(typeof command === 'string' ? command : formatAny(command));
  return {
    paths,
    dryRun: env.dryRun,
    verbose: settings.verbose,
    signal,
    show,
    async exec(command, options = {}) {
      const out = await runCommand(
        env,
        task,
        command,
        { quiet: options.quiet ?? false, nothrow: false, check: false },
        options.cwd,
        options.env,
      );
      return { stdout: out.stdout, stderr: out.stderr };
    },
    note: (line) => reporter.note(task, line),
    detail: (line) => reporter.detail(task, line),
  };
}

// A command in images/ through zx, each word quoted (process/run-command.ts); printed first with --verbose,
// printed instead of run with --dry-run.
// A check (read-only) runs in --dry-run too; one that needs root asks sudo never to prompt.
// A pipeline (`cfssl … | cfssljson …`) runs its commands in turn, each one's output the next one's
// input; what passes between them is never echoed (cfssl's output holds a private key).
async function runCommand(
  env: RunEnv,
  task: string,
  given: Command,
  flags: RunFlags,
  cwd?: string,
  extraEnv?: Record<string, string>,
): Promise<ShellOutput> {
  const { reporter, settings } = env;
  const command = withoutNeedlessSudo(given);
  if ((env.dryRun && !flags.check) || settings.verbose) reporter.print(formatAny(command));
  if (env.dryRun && !flags.check) return { stdout: '', stderr: '', exitCode: 0 };
  const stages = pipelineOf(command);
  for (const stage of stages)
    if (!stage.exe.includes('/') && which(stage.exe) === undefined) throw notFound(stage.exe, env.profile);
  if (command.sudo && command.sudoReason && !flags.check) reporter.note(task, `sudo: ${command.sudoReason}`);
  await mkdir(cwd ?? env.paths.root, { recursive: true }); // commands run in images/, which a first run makes
  let input = command.input;
  let out: ShellOutput = { stdout: '', stderr: '', exitCode: 0 };
  for (const [i, stage] of stages.entries()) {
    const last = i === stages.length - 1;
    const argv = argvToRun(stage, { noPrompt: flags.check });
    const echoStderr = settings.verbose && !flags.quiet && last; // --verbose: what the last one says, as it says it
    const r = await runCommandArgv(argv, {
      cwd: cwd ?? env.paths.root,
      signal: env.signal,
      echoStderr,
      ...(extraEnv ? { env: { ...process.env, ...extraEnv } } : {}),
      ...(input === undefined ? {} : { input }),
    });
    // The shell's code: 127 not found, 126 not runnable (a check's answer); a shell that could not start, the same.
    out = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? (r.notFound ? 127 : r.cause ? 126 : 1) };
    if (out.exitCode !== 0 && !flags.nothrow && !flags.check) {
      const stderr = withoutPrivateKeys(r.stderr.trim());
      if (kubectlCrashed(stage.exe, stderr)) {
        throw new KubenetError(
          `${argv.join(' ')} crashed: this kubectl (${which(stage.exe)}) cannot write kubeconfigs`,
          {
            code: ExitCode.host,
            details: stderr.split('\n').slice(0, 3).join('\n'),
            hint: `install a kubectl that can: ${authToolHint(env.profile.hostOs, 'kubectl')}`,
          },
        );
      }
      const how = r.exitCode === null ? failureText(r) : `exited with ${r.exitCode}`; // not found, interrupted, killed
      throw new KubenetError(
        `${argv.join(' ')} ${how}${stages.length > 1 ? ` (in ${formatCommandLine(command)})` : ''}`,
        {
          code: ExitCode.failure,
          ...(stderr ? { details: stderr.split('\n').slice(-15).join('\n') } : {}),
          hint: 'rerun with --verbose to see the command and its output',
        },
      );
    }
    if (out.exitCode !== 0) return out;
    input = r.stdout;
  }
  return out;
}

// A private key never reaches the terminal, even inside a tool's complaint about its input.
export const withoutPrivateKeys = (text: string): string =>
  text.replace(
    /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g,
    '-----BEGIN $1PRIVATE KEY----- (not shown) -----END $1PRIVATE KEY-----',
  );

function notFound(exe: string, profile: Profile): KubenetError {
  const qemu = exe.startsWith('qemu-');
  return new KubenetError(`${exe} not found on PATH`, {
    code: ExitCode.host,
    hint: qemu
      ? `install QEMU: ${installHint(profile.hostOs, profile.guestArch, 'qemu')}`
      : isAuthTool(exe)
        ? `install it: ${authToolHint(profile.hostOs, exe)}`
        : `install ${exe}, or put it on PATH`,
  });
}

// How this run asks for consent to root commands, and runs them.
export function rootRunOf(env: RunEnv, task: string): RootRun {
  return {
    reporter: env.reporter,
    task,
    dryRun: env.dryRun,
    yes: env.settings.yes === true,
    ...(env.root ? { session: env.root } : {}),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: (q) => confirm(q),
    run: (command) => runCommand(env, task, command, { quiet: false, nothrow: false, check: false }),
  };
}

// The effects of a real run (and --dry-run's) for one step of `task`, grouped by what they reach:
// commands and root (here), files under images/ (file-effects.ts), VMs (vm-effects.ts), the host.
// `vm`: the VM of the running step; `onSeed`: told of each VM whose seed holds kubenet's key.
export function runEffects(
  env: RunEnv,
  task: string,
  digests: Map<string, string>,
  vm?: string,
  onSeed?: OnSeed,
): Effects {
  const ops = stepOps(env, task);
  const { reporter } = env;
  return {
    run: (command, flags) => runCommand(env, task, command, flags),
    root: (reason, commands) => runAsRoot(rootRunOf(env, task), reason, commands),
    background: (command) => background(env, task, command),
    ...fileEffects(env, task, ops),
    ...vmEffects(env, task, ops, vm, onSeed),
    mergeKubeconfig: (merge, commands) => mergeKubeconfig(env, ops, merge, commands),
    download: (d) => env.downloads.ensure(d),
    fileOf: (d) => env.downloads.fileOf(d),
    findHost: () => findHost(env),
    note: (line) => reporter.note(task, line),
    detail: (line) => reporter.detail(task, line),
    progress: (text) => reporter.progress(task, text),
    digest: (path, sha256) => digests.set(path, sha256),
  };
}

// A process that runs while the step needs it (the guide's `qemu-system-… &`); as root with consent.
async function background(env: RunEnv, task: string, given: Command): Promise<{ stop(): Promise<void> }> {
  const command = withoutNeedlessSudo(given);
  env.reporter.print(formatAny(command));
  if (env.dryRun) return { stop: async () => undefined };
  if (given.sudo && given.sudoReason) await consent(rootRunOf(env, task), given.sudoReason, [given]);
  return startBackground(command, env.paths.root);
}

// The guide's kubectl config commands on ~/.kube/config: only with --yes, or yes at a terminal.
type Merge = Parameters<Effects['mergeKubeconfig']>[0];
async function mergeKubeconfig(env: RunEnv, ops: StepOps, merge: Merge, commands: Command[]) {
  const { cluster, user, context } = merge.entries;
  const question =
    `Add the cluster ${cluster}, the user ${user} and the context ${context} to ~/.kube/config ` +
    '(the old file kept beside it)?';
  const agreed = async () => {
    if (env.settings.yes === true) return true;
    if (!(process.stdin.isTTY && process.stdout.isTTY)) return false;
    env.reporter.release();
    return confirm(question);
  };
  return mergeIntoKubeconfig(ops, { ...merge, consent: agreed }, commands);
}

// 00-qemu: QEMU, the firmware and the accelerator, detected and recorded in images/qemu.json.
async function findHost(env: RunEnv): Promise<QemuFacts> {
  const { settings } = env;
  const { accel, firmware } = settings;
  const facts = await detectFacts({
    profile: env.profile,
    ...(accel ? { accel } : {}),
    ...(firmware ? { firmware } : {}),
  });
  if (!env.dryRun) {
    await writeJson(env.paths.facts, factsRecord(facts, settings), { root: env.paths.root });
  }
  return facts;
}
