import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { argvOf } from '../../lib/task/argv.js';
import { isKubenetError } from '../../lib/errors.js';

const test = suite('argvOf: zx template rules, as argv');
const argv = (pieces: TemplateStringsArray, ...values: unknown[]) => argvOf(pieces, values);

const cases: [string, string[], string[]][] = [
  [
    'literal words split on any whitespace, newlines included',
    argv`qemu-img  create\n   -f qcow2`,
    ['qemu-img', 'create', '-f', 'qcow2'],
  ],
  ['a value joins the word it touches', argv`-machine ${'q35'},accel=${'kvm'}${''}`, ['-machine', 'q35,accel=kvm']],
  ['a value with spaces stays one word', argv`-serial ${'file:/a b/log'}`, ['-serial', 'file:/a b/log']],
  ['an array gives one word per element', argv`${['-bios', '/fw.fd']} -m 2G`, ['-bios', '/fw.fd', '-m', '2G']],
  ['an empty array is nothing at all', argv`${[]} qemu-system-x86_64 -nographic`, ['qemu-system-x86_64', '-nographic']],
  ['a standalone empty string is an empty word, as in zx', argv`echo ${''} x`, ['echo', '', 'x']],
  ['an array inside a word splices its ends', argv`a${['b', 'c']}d`, ['ab', 'cd']],
  ['numbers print as numbers', argv`-smp ${2}`, ['-smp', '2']],
];
for (const [name, got, want] of cases) test(name, () => assert.equal(got, want));

test('shell syntax in the literal text is refused, not passed on', () => {
  for (const text of ['a | b', 'a; b', "echo 'x'", 'a $HOME', 'cloud-init/{user-data,meta-data}']) {
    try {
      argvOf([text], []);
      assert.unreachable(text);
    } catch (error) {
      assert.ok(isKubenetError(error), text);
      assert.match(error.hint ?? '', 'argv');
    }
  }
});

test('the same characters inside a value are plain text', () => {
  assert.equal(argv`echo ${'a | b; $HOME'}`, ['echo', 'a | b; $HOME']);
});

test.run();
