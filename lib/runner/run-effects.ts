// The effects of a real run (and of --dry-run, which prints instead): commands through zx in
// images/, disks made once, seeds and keys written, downloads fetched, the host detected.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { authToolHint, installHint, isAuthTool, kubectlCrashed } from '../host/install-hint.js';
import { which } from '../host/which.js';
import { pipelineOf, type Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import type { Profile, QemuFacts } from '../host/types.js';
import type { Paths } from '../paths.js';
import { formatAny, formatCommandLine } from '../qemu/format-command.js';
import type { Settings } from '../settings/settings.js';
import type { Effects } from '../task/context.js';
import type { StepOps } from '../step-ops.js';
import type { RunFlags, ShellOutput } from '../task/shell.js';
import { runAsRoot, withoutNeedlessSudo, type RootRun, type RootSession } from './root-commands.js';
import type { Download, VmInfo } from '../task/types.js';
import type { RunDownloads } from './downloads.js';
import { factsRecord } from './facts.js';
import type { Reporter } from './reporter.js';

export interface RunEnv {
  knownDownloads?: () => Promise<readonly Download[]>; // every download of the graph: what a kept disk may be backed by (loads every task file: asked only then)
  settings: Settings;
  paths: Paths;
  profile: Profile;
  dryRun: boolean;
  signal: AbortSignal;
  reporter: Reporter;
  downloads: RunDownloads;
  root?: RootSession; // the run's one consent to its root commands (root-preview.ts)
}

export function stepOps(env: RunEnv, task: string): StepOps {
  const { paths, settings, reporter, signal } = env;
  const show = (command: Command | string) => reporter.print(typeof command === 'string' ? command : formatAny(command));
  return {
    paths,
    dryRun: env.dryRun,
    verbose: settings.verbose,
    signal,
    show,
    async exec(command, options = {}) {
      const out = await runCommand(env, task, command, { quiet: options.quiet ?? false, nothrow: false, check: false }, options.cwd, options.env);
      return { stdout: out.stdout, stderr: out.stderr };
    },
    note: (line) => reporter.note(task, line),
    detail: (line) => reporter.detail(task, line),
  };
}

// A command in images/ through zx (argv quoted by zx's ${array}); printed first with --verbose,
// printed instead of run with --dry-run.
// A check (read-only) runs in --dry-run too; one that needs root asks sudo never to prompt.
// A pipeline (`cfssl … | cfssljson …`) runs its commands in turn, each one's output the next one's
// input; what passes between them is never echoed (cfssl's output holds a private key).
async function runCommand(env: RunEnv, task: string, given: Command, flags: RunFlags, cwd?: string, extraEnv?: Record<string, string>): Promise<ShellOutput> {
  const { reporter, settings } = env;
  const command = withoutNeedlessSudo(given);
  if ((env.dryRun && !flags.check) || settings.verbose) reporter.print(formatAny(command));
  if (env.dryRun && !flags.check) return { stdout: '', stderr: '', exitCode: 0 };
  const stages = pipelineOf(command);
  for (const stage of stages) if (!stage.exe.includes('/') && which(stage.exe) === undefined) throw notFound(stage.exe, env.profile);
  if (command.sudo && command.sudoReason && !flags.check) reporter.note(task, `sudo: ${command.sudoReason}`);
  await mkdir(cwd ?? env.paths.root, { recursive: true }); // commands run in images/, which a first run makes
  const { $ } = await import('zx');
  let input = command.input;
  let out: ShellOutput = { stdout: '', stderr: '', exitCode: 0 };
  for (const [i, stage] of stages.entries()) {
    const last = i === stages.length - 1;
    const argv = stage.sudo ? ['sudo', ...(flags.check ? ['-n'] : []), stage.exe, ...stage.args] : [stage.exe, ...stage.args];
    const quiet = !settings.verbose || flags.quiet || !last;
    const r = await $({ cwd: cwd ?? env.paths.root, quiet, signal: env.signal, nothrow: true, verbose: false, ...(extraEnv ? { env: { ...process.env, ...extraEnv } } : {}), ...(input === undefined ? {} : { input }) })`${argv}`;
    out = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
    if (out.exitCode !== 0 && !flags.nothrow && !flags.check) {
      const stderr = withoutPrivateKeys(r.stderr.trim());
      if (kubectlCrashed(stage.exe, stderr)) {
        throw new KubenetError(`${argv.join(' ')} crashed: this kubectl (${which(stage.exe)}) cannot write kubeconfigs`, {
          code: ExitCode.host,
          details: stderr.split('\n').slice(0, 3).join('\n'),
          hint: `install a kubectl that can: ${authToolHint(env.profile.hostOs, 'kubectl')}`,
        });
      }
      throw new KubenetError(`${argv.join(' ')} exited with ${r.exitCode ?? r.signal}${stages.length > 1 ? ` (in ${formatCommandLine(command)})` : ''}`, {
        code: ExitCode.failure,
        ...(stderr ? { details: stderr.split('\n').slice(-15).join('\n') } : {}),
        hint: 'rerun with --verbose to see the command and its output',
      });
    }
    if (out.exitCode !== 0) return out;
    input = r.stdout;
  }
  return out;
}

// A private key never reaches the terminal, even inside a tool's complaint about its input.
export const withoutPrivateKeys = (text: string): string =>
  text.replace(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g, '-----BEGIN $1PRIVATE KEY----- (not shown) -----END $1PRIVATE KEY-----');

function notFound(exe: string, profile: Profile): KubenetError {
  const qemu = exe.startsWith('qemu-');
  return new KubenetError(`${exe} not found on PATH`, {
    code: ExitCode.host,
    hint: qemu ? `install QEMU: ${installHint(profile.hostOs, profile.guestArch, 'qemu')}` : isAuthTool(exe) ? `install it: ${authToolHint(profile.hostOs, exe)}` : `install ${exe}, or put it on PATH`,
  });
}

// The key a seed authorises, found (or generated) once per run, however many VMs ask.
const keys = new WeakMap<RunEnv, Promise<import('../cloud-init/ssh-key.js').SshKey | undefined>>();
function publicKey(env: RunEnv, ops: StepOps) {
  let key = keys.get(env);
  if (!key) {
    key = import('../cloud-init/ssh-key.js').then(({ ensureSshKey }) => ensureSshKey(ops));
    keys.set(env, key);
  }
  return key;
}

// How this run asks for consent to root commands, and runs them.
export function rootRunOf(env: RunEnv, task: string): RootRun {
  return {
    reporter: env.reporter, task, dryRun: env.dryRun, yes: env.settings.yes === true, ...(env.root ? { session: env.root } : {}),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: async (q) => (await import('../cli/prompt.js')).confirm(q),
    run: (command) => runCommand(env, task, command, { quiet: false, nothrow: false, check: false }),
  };
}

export function runEffects(env: RunEnv, task: string, digests: Map<string, string>, vm?: string, onSeed?: (hostname: string) => void): Effects {
  const ops = stepOps(env, task);
  return {
    run: (command, flags) => runCommand(env, task, command, flags),
    async once(file, command) {
      const { createQcow2Once } = await import('../disk/create-qcow2.js');
      const made = await createQcow2Once(ops, file, command);
      if (made === 'kept') {
        const { checkKeptOverlay } = await import('../disk/kept-overlay.js');
        const arch = env.profile.guestArch;
        const files = ((await env.knownDownloads?.()) ?? []).map((d) => ({ file: (a: typeof arch) => d.file(a) }));
        await checkKeptOverlay(ops, file, { arch, files, task });
      }
      return made;
    },
    async seed(request) {
      const { writeSeed } = await import('../cloud-init/write-seed.js');
      // The key goes into the guide's user-data; user-data given whole says itself what it trusts.
      const key = request.userData === undefined ? await publicKey(env, ops) : undefined;
      const seed = await writeSeed(ops, {
        ...request,
        ...(key ? { sshPublicKey: key.publicKey } : {}),
        ...(request.userData === undefined && env.settings.userData ? { userDataFile: env.settings.userData } : {}),
      });
      if (vm) {
        // The VM runs an sshd with this key (or the key its template names: the cluster's); its
        // host keys are recorded under this instance-id.
        if (key) onSeed?.(request.hostname);
        if (!env.dryRun) {
          const { writeFileAtomic } = await import('../fs/atomic-write.js');
          const { ownDir } = await import('../fs/no-follow.js');
          await ownDir(env.paths.root, env.paths.vmDir(vm));
          await writeFileAtomic(env.paths.vmFile(vm, 'instance-id'), `${seed.instanceId}\n`, { root: env.paths.root });
        }
      }
      return { instanceId: seed.instanceId, iso: seed.iso };
    },
    root: (reason, commands) => runAsRoot(rootRunOf(env, task), reason, commands),
    async writeFile(file, text, { mode = 0o644, keep = false, template = false }) {
      const { writeOwnFile } = await import('../fs/write-own-file.js');
      if (env.dryRun) {
        if (template) {
          env.reporter.print(`# kubenet writes ${file} (unless you edited it)`);
          return false;
        }
        // Whether a real run would write it: what a step decides on (a changed configuration).
        const { readOwnText } = await import('../fs/write-own-file.js');
        const now = await readOwnText(env.paths.root, file).catch(() => undefined);
        const would = keep ? now === undefined : now !== text;
        if (would) env.reporter.print(`# kubenet writes ${file}${keep ? ' (only when missing)' : ''}`);
        return would;
      }
      if (template) return writeTemplateFile(env, task, file, text, mode);
      const written = await writeOwnFile(env.paths.root, file, text, { mode, keep });
      if (written) env.reporter.detail(task, `wrote ${file}`);
      return written;
    },
    async sshPublicKey() {
      return (await publicKey(env, ops))?.publicKey ?? 'ssh-ed25519 AAAA…(generated on the real run)';
    },
    async background(given) {
      const command = withoutNeedlessSudo(given);
      env.reporter.print(formatAny(command));
      if (env.dryRun) return { stop: async () => undefined };
      if (given.sudo && given.sudoReason) await (await import('./root-commands.js')).consent(rootRunOf(env, task), given.sudoReason, [given]);
      const { startBackground } = await import('./background-process.js');
      return startBackground(command, env.paths.root);
    },
    async sshSetup(vm, address) {
      const { sshSetup } = await import('../ssh/ssh-setup.js');
      await sshSetup({ paths: env.paths, vm, ...(address === undefined ? {} : { address }), signal: env.signal, note: (line) => env.reporter.detail(task, line) });
    },
    async removeFile(file) {
      if (env.dryRun) return env.reporter.print(`# kubenet removes ${file}`);
      const { removeOwn } = await import('../fs/no-follow.js');
      await removeOwn(env.paths.root, resolve(env.paths.root, file)); // a link there goes, never what it points to
    },
    async filesFor(program, files) {
      if (env.dryRun) return;
      const { ownFilesFor } = await import('../fs/no-follow.js');
      await ownFilesFor(env.paths.root, files.map((file) => resolve(env.paths.root, file)), program);
    },
    async readFile(file) {
      const { readOwnText } = await import('../fs/write-own-file.js');
      return readOwnText(env.paths.root, file);
    },
    async generate(request, commands) {
      const { generateFiles } = await import('../generate/generate-files.js');
      return generateFiles(ops, request, commands);
    },
    async mergeKubeconfig(merge, commands) {
      const { mergeKubeconfig } = await import('../auth/local-kubeconfig.js');
      const consent = async () => {
        if (env.settings.yes === true) return true;
        if (!(process.stdin.isTTY && process.stdout.isTTY)) return false;
        env.reporter.release();
        return (await import('../cli/prompt.js')).confirm(`Add the cluster ${merge.entries.cluster}, the user ${merge.entries.user} and the context ${merge.entries.context} to ~/.kube/config (the old file kept beside it)?`);
      };
      return mergeKubeconfig(ops, { ...merge, consent }, commands);
    },
    async copyToVm(vm, dir, files) {
      const { guideScp } = await import('../task/plan-step.js');
      if (env.dryRun) {
        env.reporter.print(`${formatAny(guideScp(vm.name, files))}    # in images/${dir}; kubenet copies over its ssh to ${vm.ip}, only what differs there`);
        return { copied: [...files], modeSet: [], unchanged: [] };
      }
      const { copyToVm } = await import('../ssh/copy-to-vm.js');
      const { namedVm } = await import('../ssh/vm-target.js');
      const { address } = await namedVm(env.settings, vm.name); // none root-free: the forwarded port
      return copyToVm(env.paths, vm, dir, files, { signal: env.signal, detail: (line) => env.reporter.detail(task, line), ...(address === undefined ? {} : { address }) });
    },
    download: (d) => env.downloads.ensure(d),
    fileOf: (d) => env.downloads.fileOf(d),
    async findHost(): Promise<QemuFacts> {
      const { detectFacts } = await import('../host/detect.js');
      const { settings } = env;
      const facts = await detectFacts({ profile: env.profile, ...(settings.accel ? { accel: settings.accel } : {}), ...(settings.firmware ? { firmware: settings.firmware } : {}) });
      if (!env.dryRun) {
        const { writeJson } = await import('../fs/json-file.js');
        await writeJson(env.paths.facts, factsRecord(facts, settings), { root: env.paths.root });
      }
      return facts;
    },
    vmInfo: (vm) => vmInfo(env.paths, vm),
    note: (line) => env.reporter.note(task, line),
    detail: (line) => env.reporter.detail(task, line),
    progress: (text) => env.reporter.progress(task, text),
    digest: (path, sha256) => digests.set(path, sha256),
  };
}

// A template the learner may edit: said when kubenet's text for it changed, and when an edited
// one is kept although kubenet's text differs.
async function writeTemplateFile(env: RunEnv, task: string, file: string, text: string, mode: number): Promise<boolean> {
  const { writeTemplate } = await import('../generate/template-file.js');
  const result = await writeTemplate(env.paths, file, text, { mode, signal: env.signal, log: (line) => env.reporter.detail(task, line) });
  if (result === 'written') env.reporter.detail(task, `wrote ${file}`);
  if (result === 'updated') env.reporter.note(task, `${file} rewritten: kubenet's text for it changed (the cluster's topology, kubenet.yaml cluster:)`);
  if (result === 'yours') env.reporter.note(task, `warning: ${file} is yours (not what kubenet last wrote), so it is kept — and it differs from kubenet's text for this cluster; remove it to get kubenet's`);
  return result === 'written' || result === 'updated';
}

export async function vmInfo(paths: Paths, vm: string): Promise<VmInfo> {
  const { vmStatus } = await import('../vm/vm-status.js');
  const status = await vmStatus(paths, vm);
  const portFile = paths.vmFile(vm, 'ssh-port');
  const port = existsSync(portFile) ? Number.parseInt(readFileSync(portFile, 'utf8'), 10) : undefined;
  return {
    name: vm,
    dir: paths.vmDir(vm),
    serialLog: paths.vmFile(vm, 'serial.log'),
    running: status.running,
    ...(status.pid === undefined ? {} : { pid: status.pid }),
    ...(port === undefined || Number.isNaN(port) ? {} : { sshPort: port }),
  };
}
