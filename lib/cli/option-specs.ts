// Every command's options, in one place: the parser, `help`, completion and the did-you-mean
// for a mistyped option all read this table, so they cannot disagree.

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  values?: readonly string[] | 'dirs' | 'files' | 'tasks'; // what a string option takes, for completion ('tasks': the names run takes)
  help: string;
}

type Specs = Record<string, OptionSpec>;

// The folder and the guest: every command that looks at images/ takes these.
const where: Specs = {
  images: { type: 'string', values: 'dirs', help: 'where artifacts live (default ./images, or KUBENET_IMAGES)' },
  arch: { type: 'string', values: ['aarch64', 'x86_64'], help: "guest architecture (default: the host's)" },
  tasks: { type: 'string', values: 'dirs', help: 'a folder of your own task files (default ./tasks, when there is one)' },
};
const common: Specs = {
  verbose: { type: 'boolean', short: 'v', help: 'show commands, their output and why tasks are stale' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
};
// What 00-qemu picks: they change QEMU facts, so list and guide take them to judge staleness.
const host: Specs = {
  accel: { type: 'string', values: ['hvf', 'kvm', 'tcg'], help: 'hvf | kvm | tcg (default: probed; tcg where no hypervisor works)' },
  firmware: { type: 'string', values: 'files', help: 'UEFI firmware image to use instead of the one found' },
};
// The shared download cache: what fetches uses it, and `kubenet cache` looks at it.
const caching: Specs = {
  cache: { type: 'string', values: 'dirs', help: 'the shared download cache (default $XDG_CACHE_HOME/kubenet/downloads, or KUBENET_CACHE; off: none)' },
  'no-cache': { type: 'boolean', help: 'no shared download cache: every images/ folder downloads its own' },
};
// The user's own file for a download that has one to choose: what runs, lists and explains name.
const choosing: Specs = {
  'live-iso': { type: 'string', values: 'files', help: 'the live ISO to use instead of the one kubenet finds: a file (used in place) or an https URL (verified against the SHA256SUMS beside it) (or KUBENET_LIVE_ISO)' },
};
const fetching: Specs = {
  mirror: { type: 'string', help: 'fetch https://HOST/PATH as BASE/HOST/PATH: a server, or a folder (/DIR, file:///DIR) (or KUBENET_MIRROR)' },
  offline: { type: 'boolean', help: 'never the network: images/, the shared cache and a folder mirror only; fail if one is missing' },
  'require-signature': { type: 'boolean', help: "refuse a download checked by digest only: SHA256SUMS must carry a signature by upstream's key (or KUBENET_REQUIRE_SIGNATURE=1)" },
  'trusted-keys': { type: 'string', values: 'files', help: "OpenPGP public keys to trust for SHA256SUMS.gpg instead of Ubuntu's, which kubenet ships (or KUBENET_TRUSTED_KEYS)" },
  ...caching,
};
const machine: Specs = {
  net: { type: 'string', values: ['user', 'vmnet-shared', 'vmnet-bridged', 'none'], help: 'user | vmnet-shared | … (default: vmnet-shared on macOS, user elsewhere)' },
  memory: { type: 'string', short: 'm', help: 'guest memory (default 2G)' },
  smp: { type: 'string', help: 'guest CPUs (default 2)' },
  'disk-size': { type: 'string', help: 'size of a new disk (default 128G)' },
  'user-data': { type: 'string', values: 'files', help: 'your own cloud-init user-data for the cloud image (#cloud-config YAML)' },
};
const step: Specs = {
  step: { type: 'string', values: 'tasks', help: 'one step of a task, by number or name (kubenet guide lists them)' },
};
const running: Specs = {
  force: { type: 'boolean', short: 'f', help: 'rerun the named tasks even when up to date (never recreates a disk)' },
  'dry-run': { type: 'boolean', short: 'n', help: 'print every command the run would execute; run nothing' },
  headless: { type: 'boolean', help: 'no window and no console: the serial console goes to images/vm/<vm>/serial.log' },
  until: { type: 'string', values: ['ssh'], help: "wait for the serial console to match REGEX — or `ssh`: until `kubenet ssh -- true` works — then shut the VM down and exit 0 (with --detach: leave it running); without it a headless VM runs until Ctrl-C" },
  timeout: { type: 'string', help: 'how long --until or --detach waits, in seconds (default 600)' },
  detach: { type: 'boolean', short: 'd', help: 'boot the VM in the background and return once it is up (kubenet status, kubenet stop)' },
  vm: { type: 'string', help: 'a step done for several VMs (vm-setup, vm-launch) does only these: names or ids, comma-separated' },
  'ssh-port': { type: 'string', help: "the host port forwarded to the VM's ssh (user networking; default: the VM's own, the same on every run)" },
  yes: { type: 'boolean', short: 'y', help: 'consent to the commands that need root (shown first, with why); else a terminal asks' },
};
const json: Specs = { json: { type: 'boolean', help: 'machine-readable output' } };

export const commandSpecs: Record<string, { usage: string; options: Specs }> = {
  list: { usage: 'kubenet list [--json]', options: { ...where, ...host, ...choosing, ...json, ...common } },
  run: { usage: 'kubenet run <task|step|download…> [options]', options: { ...where, ...host, ...fetching, ...choosing, ...machine, ...step, ...running, ...common } },
  prefetch: { usage: 'kubenet prefetch [task|step|download…] [--cache-key] [--json]', options: { ...where, ...fetching, ...choosing, 'cache-key': { type: 'boolean', help: 'print one key derived from the digests, for CI caches' }, ...json, ...common } },
  import: { usage: 'kubenet import FILE… [--sums FILE] [--offline]', options: { ...where, ...fetching, sums: { type: 'string', values: 'files', help: "the SHA256SUMS to check against (default: upstream's; with --offline, the one beside the file)" }, ...json, ...common } },
  cache: { usage: 'kubenet cache [prune [--older-than DAYS] [--all]]', options: { ...caching, 'older-than': { type: 'string', help: 'prune: only entries not used for this many days (default 30)' }, all: { type: 'boolean', help: 'prune: every entry no images/ folder links, whatever its age' }, ...where, ...json, ...common } },
  reset: { usage: 'kubenet reset <task> [--yes]', options: { ...where, yes: { type: 'boolean', short: 'y', help: 'delete without asking, and consent to the commands that need root' }, ...common } },
  ssh: { usage: 'kubenet ssh [VM] [-- command…]', options: { ...where, wait: { type: 'string', help: 'how long to wait for sshd to answer, in seconds (default 300; 0: do not wait)' }, ...common } },
  delete: { usage: 'kubenet delete VM… [--yes]', options: { ...where, yes: { type: 'boolean', short: 'y', help: 'stop and delete without asking' }, ...common } },
  console: { usage: 'kubenet console VM', options: { images: where.images!, ...common } },
  'ssh-config': { usage: 'kubenet ssh-config [VM…]', options: { ...where, ...common } },
  cp: { usage: 'kubenet cp [-r] SRC… DST   (a VM\'s path: VM:PATH)', options: { ...where, recursive: { type: 'boolean', short: 'r', help: 'copy folders, with what is in them' }, ...common } },
  certs: { usage: 'kubenet certs [--json]', options: { images: where.images!, ...json, ...common } },
  status: { usage: 'kubenet status [--json]', options: { images: where.images!, ...json, ...common } },
  stop: {
    usage: 'kubenet stop <vm…> [--all] [--grace SECONDS]',
    options: {
      images: where.images!,
      all: { type: 'boolean', short: 'a', help: 'every VM that runs' },
      grace: { type: 'string', help: 'how long the guest gets to power off before QEMU is told to quit, in seconds (default 10)' },
      ...common,
    },
  },
  guide: { usage: 'kubenet guide [--json]', options: { ...where, ...host, ...choosing, ...json, ...common } },
  explain: { usage: 'kubenet explain <task|step> [--step N]', options: { ...where, ...host, ...choosing, ...machine, ...step, ...common } },
  doctor: { usage: 'kubenet doctor [--json]', options: { ...where, ...host, net: machine.net!, ...json, ...common } },
  config: { usage: 'kubenet config [--json]', options: { ...where, ...host, ...fetching, ...machine, ...json, ...common } },
  completion: { usage: 'kubenet completion bash|zsh', options: { ...common } },
  __complete: { usage: 'kubenet __complete tasks|vms', options: { ...where } },
  help: { usage: 'kubenet help [command]', options: { ...common } },
};

export const commandNames = Object.keys(commandSpecs).filter((c) => !c.startsWith('__'));

export const allOptions = (): Specs => Object.assign({}, ...Object.values(commandSpecs).map((c) => c.options)) as Specs;
