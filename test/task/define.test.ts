import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { download, splitName, task } from '../../lib/task/define.js';

const test = suite('task() and download()');
const step = (name: string, more: object = {}) => ({ name, title: name, summary: name, ...more });

const bad: [string, () => unknown, RegExp][] = [
  ['a name without its number', () => task({ name: 'my-step', title: 't', run: async () => {} }), /NN-kebab-name/],
  ['steps and run together', () => task({ name: '04-x', title: 't', steps: [step('a')], run: async () => {} }), /not both/],
  ['neither steps nor run', () => task({ name: '04-x', title: 't' }), /needs steps/],
  ['two steps of one name', () => task({ name: '04-x', title: 't', steps: [step('a'), step('a')] }), /two steps are named a/],
  ['a need that is not an earlier step', () => task({ name: '04-x', title: 't', steps: [step('a', { needs: ['b'] }), step('b')] }), /needs b/],
  ['two steps of one number', () => task({ name: '04-x', title: 't', steps: [step('a', { step: 1 }), step('b', { step: 1 })] }), /share a number/],
  ['a step name that is not kebab-case', () => task({ name: '04-x', title: 't', steps: [step('Disk')] }), /kebab-case/],
];
for (const [name, make, message] of bad) test(`refused: ${name}`, () => assert.throws(make, message));

test('run is one step; a task that boots says it runs every time', () => {
  const t = task({ name: '04-report', title: 'a report', run: async () => {} });
  assert.equal(t.steps.map((s) => s.name), ['run']);
  assert.is(t.always, undefined);
  const boots = task({ name: '05-vm', title: 'a vm', steps: [step('boot', { vm: 'x', boot: () => undefined })] });
  assert.is(boots.always, 'boots a VM');
});

test("a download's file is its URL's last segment, per architecture", () => {
  const d = download({ name: 'img', title: 'an image', url: ({ ubuntuArch }) => `https://example.test/a/b-${ubuntuArch}.img` });
  assert.equal([d.file('aarch64'), d.file('x86_64')], ['b-arm64.img', 'b-amd64.img']);
});

test('splitName', () => {
  assert.equal(splitName('03-cloud-image'), { number: '03', short: 'cloud-image' });
  assert.equal(splitName('odd'), { number: '', short: 'odd' });
});

test.run();
