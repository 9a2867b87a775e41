// What the shell completes: commands, each command's options, and the values options take.
// Task names are not here: the scripts ask `kubenet __complete tasks`, so new tasks complete too.

export const commandWords: Record<string, string> = {
  list: 'tasks, deps and status',
  run: 'run tasks (deps first)',
  explain: 'a guide step, option by option',
  guide: 'the chapter\'s steps, status and what to run next',
  doctor: 'check this host before a long download',
  prefetch: 'download and verify every artifact',
  reset: 'delete a VM\'s disk so the task starts over',
  ssh: 'log in to the cloud VM',
  completion: 'print a shell completion script',
  help: 'options of a command',
};

const everywhere = ['--help', '--verbose', '--images', '--arch'];

export const commandOptions: Record<string, string[]> = {
  list: ['--json'],
  run: ['--force', '--dry-run', '--accel', '--firmware', '--mirror', '--offline', '--net', '--memory', '--smp', '--disk-size', '--user-data', '--step', '--headless', '--until', '--timeout'],
  explain: ['--step', '--accel', '--firmware', '--net', '--memory', '--smp'],
  guide: ['--json'],
  doctor: ['--json', '--accel', '--firmware', '--net'],
  prefetch: ['--json', '--cache-key', '--mirror', '--offline'],
  reset: ['--yes'],
  ssh: ['--net', '--wait'],
  completion: [],
  help: [],
};

export const optionsOf = (command: string): string[] => [...everywhere, ...(commandOptions[command] ?? [])];

// Commands whose words are task names.
export const taskCommands = ['run', 'explain', 'reset', 'prefetch'];

// Options followed by a value, and the values to offer ('dirs' and 'files' ask the shell).
export const optionValues: Record<string, readonly string[] | 'dirs' | 'files' | 'none'> = {
  '--arch': ['aarch64', 'x86_64'],
  '--accel': ['hvf', 'kvm', 'tcg'],
  '--net': ['user', 'vmnet-shared', 'vmnet-bridged', 'none'],
  '--step': ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'],
  '--images': 'dirs',
  '--firmware': 'files',
  '--user-data': 'files',
  '--mirror': 'none',
  '--memory': 'none',
  '-m': 'none',
  '--smp': 'none',
  '--disk-size': 'none',
  '--until': ['ssh'],
  '--wait': 'none',
  '--timeout': 'none',
};

export const shells = ['bash', 'zsh'] as const;
export type Shell = (typeof shells)[number];
