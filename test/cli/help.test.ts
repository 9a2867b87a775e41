// `kubenet <command> --help` is complete: every command has help, and it names every option the
// command takes (the parser, the help and completion read the same table).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commandHelp } from '../../lib/cli/help.js';
import { commandNames } from '../../lib/cli/option-specs.js';
import { optionsOf } from '../../lib/cli/completion/words.js';
import { kubenet } from '../helpers/cli.js';

const test = suite('help for every command');

for (const command of commandNames) {
  test(`help ${command} names every option it takes`, () => {
    const text = commandHelp(command);
    assert.match(text, `kubenet ${command}`);
    for (const flag of optionsOf(command)) assert.match(text, flag);
  });
}

test('kubenet --help lists the commands', () => {
  const r = kubenet(['--help']);
  assert.is(r.code, 0);
  for (const c of [
    'kubenet guide',
    'kubenet explain <task|step>',
    'kubenet doctor',
    'kubenet completion bash|zsh',
    'kubenet run <task|step|download…>',
  ])
    assert.match(r.stdout, c);
});

test('kubenet explain --help prints the explain help', () => {
  const r = kubenet(['explain', '--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^kubenet explain <task\|step>/);
});

test('kubenet help frob is a usage error that lists the commands', () => {
  const r = kubenet(['help', 'frob']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'no help for "frob"');
  assert.match(r.stderr, 'run, prefetch');
});

test.run();
