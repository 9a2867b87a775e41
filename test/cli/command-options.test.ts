// Every command's own options arrive typed — parsed once by their kinds, as main does it — and a
// value the kind refuses ends the command before any work, in the kind's one text. Settings are
// not among them: they reach a command as Settings (test/settings).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandOptions } from '../../lib/cli/command-options.js';
import { type CommandName, commandSpecs } from '../../lib/cli/option-specs.js';
import { parseCommandLine } from '../../lib/cli/parse-command-line.js';
import { isSetting } from '../../lib/settings/setting-kinds.js';
import { kubenet } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('command options, typed');
const cwd = '/work/here';
const typed = (argv: string[]) => {
  const line = parseCommandLine(argv);
  return commandOptions(line.command as CommandName, line.values, cwd);
};

// One line per command: every option of its own given once, and what the command receives.
const perCommand: Record<CommandName, [string[], Record<string, unknown>]> = {
  list: [['list', '--json', '-v', '--arch', 'x86_64'], { json: true, verbose: true }],
  run: [
    [
      'run',
      '03',
      '--until',
      'login:',
      '--timeout',
      '900',
      '--vm',
      'gateway,5',
      '--ssh-port',
      '2222',
      '--step',
      'cloud-init',
      '-f',
      '-n',
      '--headless',
      '-d',
      '-y',
      '-v',
      '-h',
      '--smp',
      '4',
      '--offline',
      '--no-cache',
    ],
    {
      until: /login:/,
      timeout: 900,
      vm: ['gateway', '5'],
      'ssh-port': 2222,
      step: 'cloud-init',
      force: true,
      'dry-run': true,
      headless: true,
      detach: true,
      yes: true,
      verbose: true,
      help: true,
    },
  ],
  prefetch: [['prefetch', '--cache-key', '--json', '--mirror', 'http://m.test/'], { 'cache-key': true, json: true }],
  import: [['import', 'a.img', '--sums', 'sums/SUMS', '--json'], { sums: '/work/here/sums/SUMS', json: true }],
  cache: [['cache', 'prune', '--older-than', '7', '--all', '--json'], { 'older-than': 7, all: true, json: true }],
  reset: [['reset', '03', '--yes'], { yes: true }],
  ssh: [['ssh', 'gateway', '--wait', '0', '--', 'true'], { wait: 0 }],
  delete: [['delete', 'gateway', '-y'], { yes: true }],
  console: [['console', 'gateway', '-v'], { verbose: true }],
  'ssh-config': [['ssh-config', '--help'], { help: true }],
  cp: [['cp', '-r', 'a', 'gateway:'], { recursive: true }],
  certs: [['certs', '--json'], { json: true }],
  status: [['status', '--json'], { json: true }],
  stop: [['stop', '--all', '--grace', '45'], { all: true, grace: 45 }],
  guide: [['guide', '--json'], { json: true }],
  explain: [['explain', '03', '--step', '5'], { step: '5' }],
  doctor: [['doctor', '--json', '--net', 'user'], { json: true }],
  config: [['config', '--json', '--memory', '4G'], { json: true }],
  completion: [['completion', 'bash', '-v'], { verbose: true }],
  __complete: [['__complete', 'tasks', '--images', 'x'], {}],
  help: [['help', 'run', '-v'], { verbose: true }],
};

for (const [command, [argv, expected]] of Object.entries(perCommand)) {
  test(`${command}: its options arrive typed`, () => {
    assert.equal(typed(argv), expected);
  });
}

test('the table above gives every option a command takes as its own (settings aside; -v and -h once, by run)', () => {
  const common = (command: string, name: string) => command !== 'run' && ['verbose', 'help'].includes(name);
  for (const [command, spec] of Object.entries(commandSpecs)) {
    const given = Object.keys(perCommand[command as CommandName][1]).filter((name) => !common(command, name));
    const settingOrCommon = (name: string) => isSetting(name) || name === 'no-cache' || common(command, name);
    const own = Object.keys(spec.options).filter((name) => !settingOrCommon(name));
    assert.equal(given.sort(), own.sort(), command);
  }
});

test("an option not given is not there: the command's default applies (--ssh-port: the VM's own)", () => {
  assert.equal(typed(['run', '03']), {});
  assert.equal(typed(['run', '03', '--timeout', '5']), { timeout: 5 });
});

test('a value its kind refuses is a usage error naming the option (the parser alone takes any text)', () => {
  const line = parseCommandLine(['run', '03', '--timeout', 'soon']);
  assert.is(line.values.timeout, 'soon');
  assert.throws(() => commandOptions('run', line.values, cwd), /--timeout soon is not a number of seconds/);
});

// Through the CLI, nothing to stop, no images/ folder: each is refused before any work.
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-options-');
});
test.after.each(() => dir.remove());
const refused = (args: string[], message: string) => {
  const images = join(dir.path, 'images');
  const r = kubenet([...args, '--images', images], { cwd: dir.path });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, message);
  assert.not.ok(existsSync(images), `${args.join(' ')}: nothing is made`);
};

test('--timeout, --wait, --grace and --older-than take numbers alike: 1e3 is refused by each, in one text', () => {
  const seconds = (from: number) => `is not a number of seconds (a whole number from ${from} to 604800)`;
  refused(['run', 'uefi', '--until', 'x', '--timeout', '1e3'], `--timeout 1e3 ${seconds(1)}`);
  refused(['ssh', 'ubuntu0', '--wait', '1e3'], `--wait 1e3 ${seconds(0)}`);
  refused(['stop', 'ubuntu0', '--grace', '1e3'], `--grace 1e3 ${seconds(0)}`);
  refused(
    ['cache', 'prune', '--older-than', '1e3'],
    '--older-than 1e3 is not a number of days (a whole number from 1 to 36500)',
  );
  refused(['run', 'uefi', '--ssh-port', '0x8ae'], '--ssh-port 0x8ae is not a TCP port');
});

test('--until that is no regular expression is refused up front, not when the VM boots', () => {
  refused(['run', 'uefi', '--arch', 'x86_64', '--until', 'login:('], '--until login:( is not a regular expression');
});

test('--vm that names no VM is refused, not read as every VM', () => {
  refused(['run', 'vm-launch', '--vm', ','], '--vm "," names no VM');
});

test('help says how numbers are written, under the options of a command that takes one', () => {
  for (const command of ['run', 'ssh', 'stop', 'cache', 'config']) {
    assert.match(kubenet(['help', command]).stdout, 'Numbers are whole and written in digits', command);
  }
  assert.not.match(kubenet(['help', 'list']).stdout, 'Numbers are whole');
});

test.run();
