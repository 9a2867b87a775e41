// The completion scripts load in their shells and complete commands, task names (full, number,
// short) and options; the words they offer are the CLI's own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '../../../lib/cli/parse-command-line.js';
import { allOptions } from '../../../lib/cli/option-specs.js';
import { bashScript } from '../../../lib/cli/completion/bash.js';
import { taskWords } from '../../../lib/cli/completion/task-words.js';
import { chapterDownloads, chapterTasks } from '../../helpers/chapter-tasks.js';
import { commandWords, optionValues, optionsOf } from '../../../lib/cli/completion/words.js';
import { zshScript } from '../../../lib/cli/completion/zsh.js';
import { which } from '../../../lib/host/which.js';
import { binPath, kubenet } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { skipUnless } from '../../helpers/skip.js';

const test = suite('completion');
let dir: ReturnType<typeof tempDir>;
test.before(() => {
  dir = tempDir();
  writeFileSync(join(dir.path, 'kubenet.bash'), bashScript([process.execPath, binPath]));
});
test.after(() => dir.remove());

// Completes `words` (the last one being typed) with the bash script, as bash itself would call it.
function completeBash(words: string[]): string[] {
  const script = join(dir.path, 'kubenet.bash');
  const program =
    `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( ` + `$# - 1 )); _kubenet; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', script, binPath, ...words], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '', 'no errors while loading or completing');
  return r.stdout.split('\n').filter(Boolean);
}

test('the bash script loads without error', () => {
  const r = spawnSync(
    'bash',
    ['--norc', '--noprofile', '-c', 'source "$1" && complete -p kubenet', 'bash', join(dir.path, 'kubenet.bash')],
    { encoding: 'utf8' },
  );
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'complete -F _kubenet kubenet');
});

const cases: { words: string[]; want: string[]; exact?: boolean }[] = [
  { words: ['run', '03'], want: ['03-cloud-image', '03'], exact: true },
  { words: ['run', 'cloud'], want: ['cloud-image', 'cloud-img', 'cloud-init', 'cloud-init-templates'], exact: true },
  { words: ['run', 'launch'], want: ['launch-all'], exact: true },
  { words: ['run', 'netw'], want: ['network'], exact: true },
  { words: ['explain', '02-'], want: ['02-live-cd'], exact: true },
  { words: ['--arch', 'aarch64', 'run', '00'], want: ['00-qemu', '00'], exact: true },
  { words: ['r'], want: ['run', 'reset'], exact: true },
  { words: ['run', '--dr'], want: ['--dry-run'], exact: true },
  { words: ['run', '--arch', ''], want: ['aarch64', 'x86_64'], exact: true },
  {
    words: ['explain', '02-live-cd', '--step', '1'],
    want: ['1', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19'],
    exact: true,
  },
  { words: ['completion', ''], want: ['bash', 'zsh'], exact: true },
  { words: ['doctor', '--'], want: ['--json', '--net', '--help'] },
];
for (const c of cases) {
  test(`bash: kubenet ${c.words.join(' ')}<TAB> offers ${c.want.join(' ')}`, () => {
    const got = completeBash(c.words);
    if (c.exact) assert.equal(got.sort(), [...c.want].sort());
    else for (const w of c.want) assert.ok(got.includes(w), `${w} in ${got.join(' ')}`);
  });
}

test('the script from kubenet completion bash asks the kubenet that printed it, so an npx alias completes too', () => {
  const r = spawnSync(
    '/bin/bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `source <("${process.execPath}" "${binPath}" completion bash) && ` +
        `COMP_WORDS=(npx-kubenet-alias run li); COMP_CWORD=2; _kubenet; echo "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8', env: { PATH: '/nonexistent' } },
  );
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim().split(' ').sort().join(' '), 'live-cd live-iso');
});

const hasZsh = Boolean(which('zsh'));
test('the zsh script parses (zsh -n) and loads after compinit', () => {
  if (skipUnless(hasZsh, 'zsh is not installed (apt-get install zsh)')) return;
  const file = join(dir.path, '_kubenet');
  writeFileSync(file, zshScript([process.execPath, binPath]));
  const parse = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
  assert.is(parse.status, 0, parse.stderr);
  const load = spawnSync(
    'zsh',
    [
      '-f',
      '-c',
      'autoload -Uz compinit && compinit -u -d "$2/zcompdump" && source "$1" && print -r -- $_comps[kubenet]',
      'zsh',
      file,
      dir.path,
    ],
    { encoding: 'utf8' },
  );
  assert.is(load.status, 0, load.stderr);
  assert.is(load.stdout.trim(), '_kubenet');
});

test(
  'kubenet __complete tasks lists every task by full name, ' + 'number and short name, the steps and the downloads',
  () => {
    const r = kubenet(['__complete', 'tasks']);
    assert.is(r.code, 0, r.stderr);
    const words = r.stdout.trim().split('\n');
    for (const w of [
      '00-qemu',
      '00',
      'qemu',
      '02-live-cd',
      '02',
      'live-cd',
      '03-cloud-image',
      'cloud-image',
      'network',
      '11',
      'cloud-img',
      'live-iso',
    ])
      assert.ok(words.includes(w), w);
  },
);

test('bash: kubenet stop, ssh, console, delete and ssh-config <TAB> offer the VMs of the images folder', () => {
  const images = join(dir.path, 'images');
  for (const vm of ['machine', 'ubuntu0']) {
    mkdirSync(join(images, 'vm', vm), { recursive: true });
    writeFileSync(join(images, 'vm', vm, 'serial.log'), ''); // VMs that ran once
  }
  const script = join(dir.path, 'kubenet.bash');
  for (const command of ['stop', 'ssh', 'console', 'delete', 'ssh-config']) {
    const program =
      `source "$1"; COMP_WORDS=(kubenet ${command} ''); ` + `COMP_CWORD=2; _kubenet; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', script], {
      encoding: 'utf8',
      env: { ...process.env, KUBENET_IMAGES: images },
      timeout: 60_000,
    });
    assert.is(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter(Boolean), ['machine', 'ubuntu0'], command);
  }
});

test('taskWords gives every spelling once', () => {
  const words = taskWords(chapterTasks, chapterDownloads);
  assert.equal(words.slice(0, 5), ['00-qemu', '00', 'qemu', 'qemu-version', '1']);
  assert.is(new Set(words).size, words.length);
});

test('every option offered is one the command accepts', () => {
  for (const command of Object.keys(commandWords)) {
    for (const flag of optionsOf(command).filter((f) => f.startsWith('--'))) {
      const value = allOptions()[flag.slice(2)]!.type === 'string' ? ['x'] : [];
      assert.not.throws(() => parseCommandLine([command, flag, ...value]), `${command} ${flag}`);
    }
  }
});

test("options with values are exactly the CLI's string options", () => {
  for (const [name, o] of Object.entries(allOptions()))
    assert.is(`--${name}` in optionValues, o.type === 'string', name);
});

test('kubenet completion without a known shell is a usage error', () => {
  const r = kubenet(['completion', 'fish']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'kubenet completion bash | zsh');
});

test.run();
