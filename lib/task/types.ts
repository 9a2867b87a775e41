// What a task file declares, and what its functions are given. A task is a part of the guide
// (00-qemu, 01-machine, …); its steps are the guide's sections, each runnable on its own.
import type { Command } from '../command.js';
import type { Elsewhere, Moved } from '../download/types.js';
import type { GuestArch, QemuFacts } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import type { OnlyIn } from './editions.js';
import type { HostVars } from './host-vars.js';
import type { Shell, ShellCommand } from './shell.js';

// A file the guide downloads (`wget …`): a file target, fetched and verified against the
// SHA256SUMS beside it when a step that needs it runs, or by `kubenet prefetch`. When upstream
// has moved it, `elsewhere` says where else it is found — under a name of its own, which the
// commands then use.
export interface Download {
  readonly kind: 'download';
  readonly name: string; // short and stable: live-iso, cloud-img
  readonly title: string;
  readonly formerly?: string; // the task name it had before downloads were file targets
  url(arch: GuestArch): string; // the guide's upstream https URL
  file(arch: GuestArch): string; // the guide's name for it: the URL's last segment
  elsewhere?(arch: GuestArch): readonly Elsewhere[];
  readonly moved?: Moved;
  readonly choice?: DownloadChoice;
  approxBytes?(arch: GuestArch): number; // roughly how big, for doctor's free-space check
  maxBytes?(arch: GuestArch): number; // the most it can be: a body past it is stopped and deleted
}

export type { Elsewhere, Moved } from '../download/types.js';
// The setting by which the user names their own file or URL for a download: --live-iso.
export type DownloadChoice = 'live-iso';

// What kubenet knows of a verified download.
export interface DownloadedFile {
  name: string;
  file: string; // as commands name it: relative to images/, or the user's own file's absolute path
  path: string; // absolute
  sha256: string;
  url: string;
}

// One VM of a step that is done for several (the guide's vmsetup.sh and vmlaunch.sh take a VM's
// id): its name, and the host values that are its own. The step runs once per machine.
export interface Machine {
  name: string; // its folder under images/vm/ (paths.ts), and what `--vm` picks it by
  id?: number; // `--vm 2` picks it too
  type?: string;
  smp?: number; // ${smp} for this VM
  memory?: string; // ${memory} for this VM
  mac?: string;
  ip?: string; // where it is reached (ssh, the launch report)
}

// A step's functions are given its machine typed as its `vms` lists them: a step declared as
// Step<ClusterVm> gets ctx.machine as a ClusterVm. A step without vms has no machine (undefined).
export interface Step<M extends Machine | undefined = Machine | undefined> {
  step?: number; // the guide's step number, as README's tutorial table counts them (1–11 in chapter 1)
  name: string; // the guide's heading in kebab-case: network, disk, cloud-init
  title: string; // the guide's heading
  summary: string; // one line: what this step adds
  onlyIn?: OnlyIn; // a step in one edition of the guide only (steps 1 and 7 macOS, 15–18 Linux)
  needs?: readonly (Download | string)[]; // downloads it uses; names of earlier steps whose files it uses
  vm?: string; // the VM it boots (its folder is images/vm/<vm>/)
  // The VMs it is done for, one at a time (make) and all together (boot): ctx.machine is each.
  vms?(ctx: PlanContext): readonly NonNullable<M>[];
  makes?: readonly string[]; // files under images/ it makes once and never recreates (only reset deletes them)
  // Makes the step's files; idempotent. Runs before boot, and when a later step needs this one.
  make?(ctx: TaskContext<M>): Promise<void>;
  // The guide's QEMU command on this host: a pure function of the context's host values.
  boot?(ctx: TaskContext<M>): ShellCommand;
  // After QEMU has started: resolves, with how to reach it, once the VM is up (e.g. its sshd
  // answers). Bounded by the run's --timeout.
  ready?(ctx: TaskContext<M>): Promise<string>;
  // A step with vms, run at a terminal where tmux is installed: its VMs in panes of a tmux
  // session (each pane runs this step for one VM), and once all are ready, a session of
  // `kubenet ssh` panes in the windows given — the guide's vmlaunchall.sh and vmsshall.sh.
  tmux?: TmuxLayout;
}

export interface TmuxLayout {
  session: string; // the VMs' session, one pane each, tiled
  paneStep?: string; // what each pane runs, `kubenet run STEP --vm NAME` (default: this step)
  login?: {
    session: string;
    windows(machines: readonly Machine[]): { name: string; vms: string[]; layout: string }[];
    attach: string; // the window attached at the end
  };
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
  // NN-kebab-name; NN orders the guide: 00–03 chapter 1, 20–22 chapter 2, 30 chapter 3, 40–44
  // chapter 4; 04–19 are free for the user's own
  name: string;
  title: string;
  deps: readonly string[]; // tasks that must be done first
  steps: readonly Step[]; // in the guide's order; `kubenet run <task>` runs the last, or `main`
  main?: string; // the step `kubenet run <task>` and a dependent task run, when not the last
  // A task's result can be cached (go-task's sources/generates): a task that declares neither
  // runs every time; one that boots a VM says so in `always`.
  inputs?(ctx: PlanContext): Inputs;
  outputs?(ctx: PlanContext): string[];
  always?: string;
  // Undoes what the task set up outside images/ (a bridge, a firewall chain, a daemon):
  // `kubenet reset <task>` runs it, with the same consent rules as a run's root commands.
  reset?(ctx: TaskContext): Promise<void>;
  // What it may run as root (asRoot, a boot as root), in a few words: a run with such a task looks
  // first, shows every root command of the run with its reason, and asks once.
  needsRoot?: string;
  source?: string; // the file it was loaded from (set by the registry)
}

// What a running step or task is given. The host values (qemu, accel, firmware, …) are the
// places where this host differs from the guide's; commands use them by name.
export interface TaskContext<M extends Machine | undefined = Machine | undefined> extends HostVars {
  $: Shell; // `await $\`qemu-img create …\`` runs in images/; in --dry-run it prints instead
  task: string;
  step: Step | undefined;
  vm: string | undefined; // the VM of the running step
  machine: M; // the VM of a step that has vms, with its own values
  paths: Paths;
  settings: Settings;
  facts: QemuFacts; // what 00-qemu found (QEMU_VERSION, firmware, accelerator)
  dryRun: boolean;
  signal: AbortSignal;
  // Runs `command` to make `file` (relative to images/) unless it exists: a disk holds a user's
  // work and is never recreated. The command must name the file; it is made under a temporary
  // name and linked into place, so a kill or a concurrent run never leaves half a disk.
  once(file: string, command: ShellCommand): Promise<'created' | 'kept'>;
  // Commands that need root, shown first with the reason, then run only with consent (--yes, or
  // yes at a prompt); through sudo unless kubenet is root. Each runs in images/, in order.
  asRoot(reason: string, commands: readonly ShellCommand[]): Promise<void>;
  // A file of kubenet's under images/, written whole when its content changes (`keep`: only when
  // missing, for a file the learner may edit; `template`: the learner's once edited, and until
  // then rewritten when this text changes — a note says when an edited one differs from it).
  // Returns whether it was written.
  writeFile(file: string, text: string, options?: WriteOptions): Promise<boolean>;
  // Files that commands make from files (the guide's `cfssl gencert … | cfssljson -bare NAME`):
  // run in a private folder with copies of the inputs, each output put in place whole (secrets
  // 0600); made again only when an input or a command changed, `once` ones never (only reset).
  generate(request: GenerateRequest, commands: ShellCommand | readonly ShellCommand[]): Promise<Generated>;
  // Copies files of images/DIR into a VM's home folder — the guide's `scp FILE… ubuntu@VM:~` — over
  // kubenet's ssh (the VM's key and known_hosts, its address): only those whose content or mode
  // differs there, each with its mode here. A VM whose sshd does not answer fails within seconds.
  copyToVm(vm: { name: string; ip: string }, dir: string, files: readonly string[]): Promise<CopyResult>;
  // The guide's `kubectl config` commands on your own kubeconfig (~/.kube/config): only with your
  // consent (--yes, or yes at the terminal; else nothing changes), on a copy that replaces the
  // file only if nothing but `entries` changed, the old file kept beside it.
  mergeKubeconfig(
    merge: { dir: string; from: readonly string[]; entries: KubeconfigEntries },
    commands: readonly ShellCommand[],
  ): Promise<{ result: MergeResult; path: string; backup?: string }>;
  removeFile(file: string): Promise<void>; // a file of kubenet's under images/, if it is there
  // Files another program writes under images/ for this step (dnsmasq's pid file and leases):
  // their folders are made and checked, and a link at any of them stops the run before the
  // program starts — it would write through it (as root, for dnsmasq).
  filesFor(program: string, ...files: string[]): Promise<void>;
  // A file under images/ as text, or undefined when it is missing (never through a link). Every
  // file named here, and in once() and seed(), is relative to images/; a name that leaves it is refused.
  readFile(file: string): Promise<string | undefined>;
  // A process that runs while the step needs it (the guide's `qemu-system-… &`), stopped with
  // stop(); a command marked asRoot is shown and run with consent, as asRoot's are.
  background(command: ShellCommand): Promise<{ stop(): Promise<void> }>;
  // Waits until `address`:22 answers (no address: the port kubenet forwards to the VM's sshd),
  // then records the VM's host keys in its own known_hosts (images/vm/<vm>/known_hosts) and waits
  // until ubuntu can log in: the guide's vmsshsetup.sh.
  sshSetup(vm: string, address?: string): Promise<void>;
  // The public SSH key a seed authorises: yours from ~/.ssh, else one kubenet generates once.
  sshPublicKey(): Promise<string>;
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

export interface WriteOptions {
  mode?: number;
  keep?: boolean;
  template?: boolean;
}

export type { GenerateRequest, Generated } from '../generate/generate-files.js';
export type { CopyResult } from '../ssh/copy-changed.js';
export type { MergeResult } from '../auth/local-kubeconfig.js';
import type { MergeResult } from '../auth/local-kubeconfig.js';
export interface KubeconfigEntries {
  cluster: string;
  user: string;
  context: string;
}
import type { CopyResult } from '../ssh/copy-changed.js';
import type { GenerateRequest, Generated } from '../generate/generate-files.js';

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
  commands: Command[]; // make's commands, in order (for every machine of a step with vms)
  notes: string[]; // what make does that is not a command (kubenet writes the seed itself, …)
  files: { file: string; text: string }[]; // what make writes itself (writeFile), in order
  boot?: Command; // the first machine's, for a step with vms
  boots: Command[]; // every machine's, in order
}
