// `kubenet <command> --help` is complete: every command has help, and it names every option
// the completion scripts offer for it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commandHelp } from '../../lib/cli/help.js';
import { commandOptions } from '../../lib/completion/words.js';
import { kubenet } from '../helpers/cli.js';

const test = suite('help for every command');

for (const [command, options] of Object.entries(commandOptions)) {
  if (command === 'help') continue;
  test(`help ${command} names ${options.join(' ') || 'its usage'}`, () => {
    const text = commandHelp[command];
    assert.ok(text, `commandHelp.${command} exists`);
    assert.match(text!, `kubenet ${command}`);
    for (const flag of options) assert.match(text!, flag);
  });
}

test('kubenet --help lists guide, explain, doctor and completion', () => {
  const r = kubenet(['--help']);
  assert.is(r.code, 0);
  for (const c of ['kubenet guide', 'kubenet explain <task> [--step N]', 'kubenet doctor', 'kubenet completion bash|zsh']) assert.match(r.stdout, c);
});

test('kubenet explain --help prints the explain help', () => {
  const r = kubenet(['explain', '--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^kubenet explain <task> \[--step N\]/);
});

test.run();
