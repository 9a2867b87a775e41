// What a task file declares, and what its functions are given. A task is a part of the guide
// (00-qemu, 01-bare-machine, …); its steps are the guide's sections, each runnable on its own.
import type { Command } from '../command.js';
import type { GuestArch, QemuFacts } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import type { HostVars } from './host-vars.js';
import type { Shell, ShellCommand } from './shell.js';

// A file the guide downloads (`wget …`): a file target, fetched and verified against the
// SHA256SUMS beside it when a step that needs it runs, or by `kubenet prefetch`.
export interface Download {
  readonly kind: 'download';
  readonly name: string; // short and stable: live-iso, cloud-img
  readonly title: string;
  readonly formerly?: string; // the task name it had before downloads were file targets
  url(arch: GuestArch): string; // upstream https URL
  file(arch: GuestArch): string; // its name under images/: the URL's last segment
  approxBytes?(arch: GuestArch): number; // roughly how big, for doctor's free-space check
}

// What kubenet knows of a verified download.
export interface DownloadedFile {
  name: string;
  file: string; // relative to images/, as commands name it
  path: string; // absolute
  sha256: string;
  url: string;
}

export interface Step {
  step?: number; // the guide's step number, as README's tutorial table counts them (1–11 in chapter 1)
  name: string; // the guide's heading in kebab-case: network, disk, cloud-init
  title: string; // the guide's heading
  summary: string; // one line: what this step adds
  needs?: readonly (Download | string)[]; // downloads it uses; names of earlier steps whose files it uses
  vm?: string; // the VM it boots (its folder is images/vm/<vm>/)
  makes?: readonly string[]; // files under images/ it makes once and never recreates (only reset deletes them)
  // Makes the step's files; idempotent. Runs before boot, and when a later step needs this one.
  make?(ctx: TaskContext): Promise<void>;
  // The guide's QEMU command on this host: a pure function of the context's host values.
  boot?(ctx: TaskContext): ShellCommand;
}

export type { Inputs } from '../fingerprint/inputs.js';
import type { Inputs } from '../fingerprint/inputs.js';

// What a task may look at to say what it depends on and makes: cheap, no probing.
export interface PlanContext {
  settings: Settings;
  paths: Paths;
  arch: GuestArch;
}

export interface Task {
  name: string; // NN-kebab-name; NN orders the guide: 00–03 chapter 1, 10– chapter 2, 20– chapter 3
  title: string;
  deps: readonly string[]; // tasks that must be done first
  steps: readonly Step[]; // in the guide's order; `kubenet run <task>` runs the last
  // A task's result can be cached (go-task's sources/generates): a task that declares neither
  // runs every time; one that boots a VM says so in `always`.
  inputs?(ctx: PlanContext): Inputs;
  outputs?(ctx: PlanContext): string[];
  always?: string;
  source?: string; // the file it was loaded from (set by the registry)
}

// What a running step or task is given. The host values (qemu, accel, firmware, …) are the
// places where this host differs from the guide's; commands use them by name.
export interface TaskContext extends HostVars {
  $: Shell; // `await $\`qemu-img create …\`` runs in images/; in --dry-run it prints instead
  task: string;
  step: Step | undefined;
  vm: string | undefined; // the VM of the running step
  paths: Paths;
  settings: Settings;
  facts: QemuFacts; // what 00-qemu found (QEMU_VERSION, firmware, accelerator)
  dryRun: boolean;
  signal: AbortSignal;
  // Runs `command` to make `file` (relative to images/) unless it exists: a disk holds a user's
  // work and is never recreated. The command must name the file; it is made under a temporary
  // name and linked into place, so a kill or a concurrent run never leaves half a disk.
  once(file: string, command: ShellCommand): Promise<'created' | 'kept'>;
  // A download this task needs, verified (fetched first when a step of this run needs it).
  downloaded(download: Download | string): Promise<DownloadedFile>;
  // A cloud-init NoCloud seed: user-data (the guide's, yours from --user-data, or `userData`),
  // meta-data with a content-derived instance-id, and the ISO labelled cidata. Written only when
  // its content changes; `dir` holds the files (default: cloud-init/ and cidata.iso, the guide's).
  seed(input: SeedRequest): Promise<{ instanceId: string; iso: string }>;
  // 00-qemu: detects QEMU, the firmware and the accelerator, and records them in images/qemu.json.
  findHost(): Promise<QemuFacts>;
  // What kubenet knows of a VM: its folder, serial log, whether it runs, its forwarded ssh port.
  vmInfo(vm: string): Promise<VmInfo>;
  note(line: string): void; // always shown
  detail(line: string): void; // shown with --verbose
  progress(text: string): void;
  // The SHA-256 of an output computed while it was made, so the runner never re-reads it.
  digest(path: string, sha256: string): void;
}

export interface SeedRequest {
  hostname: string;
  userData?: string; // default: the guide's (password: ubuntu) with your SSH key, or --user-data
  networkConfig?: string;
  dir?: string; // relative to images/: the seed's files go to DIR/{user-data,meta-data} and DIR/cidata.iso
}

export interface VmInfo {
  name: string;
  dir: string; // images/vm/<name>
  serialLog: string;
  running: boolean;
  pid?: number;
  sshPort?: number; // user networking: 127.0.0.1:PORT reaches the guest's port 22
}

// The commands a step runs, as recorded without running them (--dry-run, explain, golden tests).
export interface StepPlan {
  commands: Command[]; // make's commands, in order
  notes: string[]; // what make does that is not a command (kubenet writes the seed itself, …)
  boot?: Command;
}
