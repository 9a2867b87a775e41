// Every command's options, in one place: the parser, `help`, completion and the did-you-mean
// for a mistyped option all read this table, so they cannot disagree. Each option has a kind
// (kinds/): the one parser its value goes through, into the typed value the command receives —
// a setting's through settings (setting-kinds.ts), every other's through command-options.ts.
import type { Kind } from '../kinds/kind.js';
import { days, seconds, tcpPort } from '../kinds/numbers.js';
import { file } from '../kinds/places.js';
import { consoleWait, vmList, word } from '../kinds/words.js';
import { settingKinds as setting, type SettingName } from '../settings/setting-kinds.js';

export interface OptionSpec<T = unknown> {
  kind: Kind<T>;
  type: 'string' | 'boolean'; // for node:util's parseArgs: a flag is boolean
  short?: string;
  help: string;
}

// A flag: on when given. It has no text of its own on the command line.
const flag: Kind<boolean> = { word: '', parse: () => true };
const option = <T>(kind: Kind<T>, help: string, short?: string): OptionSpec<T> => ({
  kind,
  help,
  type: kind.word === '' ? 'boolean' : 'string',
  ...(short ? { short } : {}),
});
const on = (help: string, short?: string) => option(flag, help, short);

type Specs = Record<string, OptionSpec>;

// The folder and the guest: every command that looks at images/ takes these.
const where = {
  images: option(setting.images, 'where artifacts live (default ./images, or KUBENET_IMAGES)'),
  arch: option(setting.arch, "guest architecture (default: the host's)"),
  tasks: option(setting.tasks, 'a folder of your own task files (default ./tasks, when there is one)'),
};
const common = {
  verbose: on('show commands, their output and why tasks are stale', 'v'),
  help: on('this help', 'h'),
};
// What 00-qemu picks: they change QEMU facts, so list and guide take them to judge staleness.
const host = {
  accel: option(setting.accel, 'hvf | kvm | tcg (default: probed; tcg where no hypervisor works)'),
  firmware: option(setting.firmware, 'UEFI firmware image to use instead of the one found'),
};
// The shared download cache: what fetches uses it, and `kubenet cache` looks at it.
const caching = {
  cache: option(
    setting.cache,
    'the shared download cache (default $XDG_CACHE_HOME/kubenet/downloads, or KUBENET_CACHE; off: none)',
  ),
  'no-cache': on('no shared download cache: every images/ folder downloads its own'),
};
// The user's own file for a download that has one to choose: what runs, lists and explains name.
const choosing = {
  'live-iso': option(
    setting['live-iso'],
    'the live ISO to use instead of the one kubenet finds: a file (used in place) or an https URL (verified ' +
      'against the SHA256SUMS beside it) (or KUBENET_LIVE_ISO)',
  ),
};
const fetching = {
  mirror: option(
    setting.mirror,
    'fetch https://HOST/PATH as BASE/HOST/PATH: a server, or a folder (/DIR, file:///DIR) (or KUBENET_MIRROR)',
  ),
  offline: option(
    setting.offline,
    'never the network: images/, the shared cache and a folder mirror only; fail if one is missing',
  ),
  'require-signature': option(
    setting['require-signature'],
    "refuse a download checked by digest only: SHA256SUMS must carry a signature by upstream's key (or " +
      'KUBENET_REQUIRE_SIGNATURE=1)',
  ),
  'trusted-keys': option(
    setting['trusted-keys'],
    "OpenPGP public keys to trust for SHA256SUMS.gpg instead of Ubuntu's, which kubenet ships (or " +
      'KUBENET_TRUSTED_KEYS)',
  ),
  ...caching,
};
const machine = {
  net: option(setting.net, 'user | vmnet-shared | … (default: vmnet-shared on macOS, user elsewhere)'),
  memory: option(setting.memory, 'guest memory (default 2G)', 'm'),
  smp: option(setting.smp, 'guest CPUs (default 2)'),
  'disk-size': option(setting['disk-size'], 'size of a new disk (default 128G)'),
  'user-data': option(setting['user-data'], 'your own cloud-init user-data for the cloud image (#cloud-config YAML)'),
};
const step = {
  step: option(word('N|NAME', 'tasks'), 'one step of a task, by number or name (kubenet guide lists them)'),
};
const running = {
  force: on('rerun the named tasks even when up to date (never recreates a disk)', 'f'),
  'dry-run': on('print every command the run would execute; run nothing', 'n'),
  headless: on('no window and no console: the serial console goes to images/vm/<vm>/serial.log'),
  until: option(
    consoleWait,
    'wait for the serial console to match REGEX — or `ssh`: until `kubenet ssh -- true` works — then shut the VM ' +
      'down and exit 0 (with --detach: leave it running); without it a headless VM runs until Ctrl-C',
  ),
  timeout: option(seconds(1, '600'), 'how long --until or --detach waits, in seconds (default 600)'),
  detach: on('boot the VM in the background and return once it is up (kubenet status, kubenet stop)', 'd'),
  vm: option(
    vmList,
    'a step done for several VMs (vm-setup, vm-launch) does only these: names or ids, comma-separated',
  ),
  'ssh-port': option(
    tcpPort,
    "the host port forwarded to the VM's ssh (user networking; default: the VM's own, the same on every run)",
  ),
  yes: on('consent to the commands that need root (shown first, with why); else a terminal asks', 'y'),
};
const json = { json: on('machine-readable output') };

export interface CommandSpec {
  usage: string;
  options: Specs;
}

// The options only one command takes.
const own = {
  cacheKey: on('print one key derived from the digests, for CI caches'),
  sums: option(file, "the SHA256SUMS to check against (default: upstream's; with --offline, the one beside the file)"),
  olderThan: option(days(1, 36_500, '30'), 'prune: only entries not used for this many days (default 30)'),
  pruneAll: on('prune: every entry no images/ folder links, whatever its age'),
  wait: option(seconds(0, '300'), 'how long to wait for sshd to answer, in seconds (default 300; 0: do not wait)'),
  recursive: on('copy folders, with what is in them', 'r'),
  stopAll: on('every VM that runs', 'a'),
  grace: option(
    seconds(0, '30 (0: quit QEMU at once)'),
    'how long the guest gets to power off before QEMU is told to quit, in seconds (default 10)',
  ),
};
const yes = (help: string) => ({ yes: on(help, 'y') });

export const commandSpecs = {
  list: { usage: 'kubenet list [--json]', options: { ...where, ...host, ...choosing, ...json, ...common } },
  run: {
    usage: 'kubenet run <task|step|download…> [options]',
    options: { ...where, ...host, ...fetching, ...choosing, ...machine, ...step, ...running, ...common },
  },
  prefetch: {
    usage: 'kubenet prefetch [task|step|download…] [--cache-key] [--json]',
    options: { ...where, ...fetching, ...choosing, 'cache-key': own.cacheKey, ...json, ...common },
  },
  import: {
    usage: 'kubenet import FILE… [--sums FILE] [--offline]',
    options: { ...where, ...fetching, sums: own.sums, ...json, ...common },
  },
  cache: {
    usage: 'kubenet cache [prune [--older-than DAYS] [--all]]',
    options: { ...caching, 'older-than': own.olderThan, all: own.pruneAll, ...where, ...json, ...common },
  },
  reset: {
    usage: 'kubenet reset <task> [--yes]',
    options: { ...where, ...yes('delete without asking, and consent to the commands that need root'), ...common },
  },
  ssh: { usage: 'kubenet ssh [VM] [-- command…]', options: { ...where, wait: own.wait, ...common } },
  delete: {
    usage: 'kubenet delete VM… [--yes]',
    options: { ...where, ...yes('stop and delete without asking'), ...common },
  },
  console: { usage: 'kubenet console VM', options: { images: where.images, ...common } },
  'ssh-config': { usage: 'kubenet ssh-config [VM…]', options: { ...where, ...common } },
  cp: {
    usage: "kubenet cp [-r] SRC… DST   (a VM's path: VM:PATH)",
    options: { ...where, recursive: own.recursive, ...common },
  },
  certs: { usage: 'kubenet certs [--json]', options: { images: where.images, ...json, ...common } },
  status: { usage: 'kubenet status [--json]', options: { images: where.images, ...json, ...common } },
  stop: {
    usage: 'kubenet stop <vm…> [--all] [--grace SECONDS]',
    options: { images: where.images, all: own.stopAll, grace: own.grace, ...common },
  },
  guide: { usage: 'kubenet guide [--json]', options: { ...where, ...host, ...choosing, ...json, ...common } },
  explain: {
    usage: 'kubenet explain <task|step> [--step N]',
    options: { ...where, ...host, ...choosing, ...machine, ...step, ...common },
  },
  doctor: { usage: 'kubenet doctor [--json]', options: { ...where, ...host, net: machine.net, ...json, ...common } },
  config: {
    usage: 'kubenet config [--json]',
    options: { ...where, ...host, ...fetching, ...machine, ...json, ...common },
  },
  completion: { usage: 'kubenet completion bash|zsh', options: { ...common } },
  __complete: { usage: 'kubenet __complete tasks|vms', options: { ...where } },
  help: { usage: 'kubenet help [command]', options: { ...common } },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof commandSpecs;
export const commandNames = Object.keys(commandSpecs).filter((c) => !c.startsWith('__'));
export const specOf = (command: string): CommandSpec | undefined =>
  (commandSpecs as Record<string, CommandSpec>)[command];

export const allOptions = (): Specs => Object.assign({}, ...Object.values(commandSpecs).map((c) => c.options)) as Specs;

// What a command receives, typed by each option's kind: its own options (settings reach it as
// Settings, parsed with the environment and kubenet.yaml; --no-cache is one of them).
type Own<C extends CommandName> = Exclude<keyof (typeof commandSpecs)[C]['options'], SettingName | 'no-cache'>;
export type OptionsOf<C extends CommandName> = {
  [K in Own<C>]?: (typeof commandSpecs)[C]['options'][K] extends OptionSpec<infer T> ? T : never;
};
