// Builds what a step's functions are given. What differs between a real run, --dry-run and a plan
// (explain, guide, the golden tests) is only the effects: running a command, making a file once,
// writing a seed, fetching a download. The host values are the same in all three.
import type { GuestArch, HostOs, QemuFacts } from '../host/types.js';
import { vmFileName, type Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { isDownload } from './define.js';
import { hostVars, type HostVars } from './host-vars.js';
import { createShell, type RunCommand } from './shell.js';
import type {
  CopyResult,
  Download,
  DownloadedFile,
  GenerateRequest,
  Generated,
  KubeconfigEntries,
  MergeResult,
  Machine,
  SeedRequest,
  Step,
  Task,
  TaskContext,
  VmInfo,
  WriteOptions,
} from './types.js';
import type { Command } from '../command.js';
import { inside } from '../fs/no-follow.js';

export interface Effects {
  run: RunCommand;
  once(file: string, command: Command): Promise<'created' | 'kept'>;
  root(reason: string, commands: Command[]): Promise<void>; // each with sudo set
  writeFile(file: string, text: string, options: WriteOptions): Promise<boolean>;
  generate(request: GenerateRequest, commands: Command[]): Promise<Generated>;
  copyToVm(vm: { name: string; ip: string }, dir: string, files: readonly string[]): Promise<CopyResult>;
  mergeKubeconfig(
    merge: { dir: string; from: readonly string[]; entries: KubeconfigEntries },
    commands: Command[],
  ): Promise<{ result: MergeResult; path: string; backup?: string }>;
  readFile(file: string): Promise<string | undefined>;
  removeFile(file: string): Promise<void>;
  filesFor(program: string, files: string[]): Promise<void>;
  sshPublicKey(): Promise<string>;
  background(command: Command): Promise<{ stop(): Promise<void> }>;
  sshSetup(vm: string, address?: string): Promise<void>;
  seed(request: SeedRequest): Promise<{ instanceId: string; iso: string }>;
  download(download: Download): Promise<DownloadedFile>;
  fileOf(download: Download): string; // the name a command gives it here (the guide's, or the one found)
  findHost(): Promise<QemuFacts>;
  vmInfo(vm: string): Promise<VmInfo>;
  note(line: string): void;
  detail(line: string): void;
  progress(text: string): void;
  digest(path: string, sha256: string): void;
}

export interface ContextInput {
  task: Task;
  step: Step | undefined;
  machine?: Machine; // the VM of this run of a step that has vms
  settings: Settings;
  paths: Paths;
  arch: GuestArch;
  hostOs: HostOs;
  facts: QemuFacts | undefined; // undefined before 00-qemu has run
  dryRun: boolean;
  signal: AbortSignal;
  effects: Effects;
  downloads: (name: string) => Promise<Download | undefined>; // a download by name, for downloaded('cloud-img')
}

// The host values for a step's VM: the firmware's variables are that VM's own copy, and a
// machine's own CPUs and memory win over --smp and --memory.
export function varsFor(
  input: Pick<ContextInput, 'settings' | 'arch' | 'hostOs' | 'facts' | 'machine'>,
  vm: string | undefined,
): HostVars {
  const { settings, facts, machine } = input;
  return hostVars({
    hostOs: input.hostOs,
    arch: input.arch,
    ...(facts ? { accel: facts.accel.accel, firmware: facts.firmware } : {}),
    ...(settings.net ? { net: settings.net } : {}),
    ...((machine?.smp ?? settings.smp) ? { smp: machine?.smp ?? settings.smp } : {}),
    ...((machine?.memory ?? settings.memory) ? { memory: machine?.memory ?? settings.memory } : {}),
    ...(settings.diskSize ? { diskSize: settings.diskSize } : {}),
    ...(vm ? { firmwareVars: vmFileName(vm, 'efivars.fd') } : {}),
  });
}

export function createContext(input: ContextInput): TaskContext {
  const { task, step, effects } = input;
  const vm = input.machine?.name ?? step?.vm;
  let vars: HostVars | undefined;
  const lazyVars = () => (vars ??= varsFor(input, vm));
  // A download written into a command is its file name here.
  const $ = createShell(effects.run, (value) => (isDownload(value) ? effects.fileOf(value) : value));
  const byName = async (d: Download | string): Promise<Download> => {
    if (isDownload(d)) return d;
    const found = await input.downloads(d);
    if (!found) throw new TypeError(`${task.name}: no download is named ${d}`);
    return found;
  };
  // Every file the task API touches is under images/: '../victim' or /etc/… is refused by name.
  const own = (file: string) => (
    inside(input.paths.root, file, `task ${task.name}${task.source ? ` (${task.source})` : ''}`), file
  );
  const ctx = {
    $,
    task: task.name,
    step,
    vm,
    machine: input.machine,
    paths: input.paths,
    settings: input.settings,
    dryRun: input.dryRun,
    signal: input.signal,
    once: async (file: string, command: { command: Command }) => effects.once(own(file), command.command),
    asRoot: (reason: string, commands: readonly { command: Command }[]) =>
      effects.root(
        reason,
        commands.map((c) => ({ ...c.command, sudo: true, sudoReason: reason })),
      ),
    writeFile: async (file: string, text: string, options: WriteOptions = {}) =>
      effects.writeFile(own(file), text, options),
    generate: async (request: GenerateRequest, commands: { command: Command } | readonly { command: Command }[]) => {
      for (const file of [...request.from, ...request.makes]) own(`${request.dir}/${file}`);
      return effects.generate(
        request,
        (Array.isArray(commands) ? commands : [commands]).map((c: { command: Command }) => c.command),
      );
    },
    readFile: async (file: string) => effects.readFile(own(file)),
    removeFile: async (file: string) => effects.removeFile(own(file)),
    filesFor: async (program: string, ...files: string[]) => effects.filesFor(program, files.map(own)),
    sshPublicKey: () => effects.sshPublicKey(),
    background: (command: { command: Command }) => effects.background(command.command),
    sshSetup: (vm: string, address?: string) => effects.sshSetup(vm, address),
    mergeKubeconfig: (
      merge: { dir: string; from: readonly string[]; entries: KubeconfigEntries },
      commands: readonly { command: Command }[],
    ) =>
      effects.mergeKubeconfig(
        merge,
        commands.map((c) => c.command),
      ),
    copyToVm: (vm: { name: string; ip: string }, dir: string, files: readonly string[]) =>
      effects.copyToVm(vm, dir, files),
    downloaded: async (d: Download | string) => effects.download(await byName(d)),
    seed: async (request: SeedRequest) =>
      effects.seed(request.dir === undefined ? request : { ...request, dir: own(request.dir) }),
    findHost: () => effects.findHost(),
    vmInfo: (name: string) => effects.vmInfo(name),
    note: (line: string) => effects.note(line),
    detail: (line: string) => effects.detail(line),
    progress: (text: string) => effects.progress(text),
    digest: (path: string, sha256: string) => effects.digest(path, sha256),
  };
  // Facts and host values are read lazily: a step that never uses ${firmware} never needs the
  // facts, and one that does before 00-qemu has run is told so (see host-vars.ts).
  Object.defineProperty(ctx, 'facts', {
    enumerable: true,
    get: () => {
      if (input.facts) return input.facts;
      void lazyVars().accel; // throws: what is missing and how to get it
    },
  });
  for (const key of Object.keys(
    varsFor({ ...input, facts: undefined, machine: undefined }, undefined),
  ) as (keyof HostVars)[]) {
    Object.defineProperty(ctx, key, { enumerable: true, get: () => lazyVars()[key] });
  }
  return ctx as unknown as TaskContext;
}
