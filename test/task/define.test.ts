import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { download, mainStep, splitName, task } from '../../lib/task/define.js';

const test = suite('task() and download()');
const step = (name: string, more: object = {}) => ({ name, title: name, summary: name, ...more });

const bad: [string, () => unknown, RegExp][] = [
  ['a name without its number', () => task({ name: 'my-step', title: 't', run: async () => {} }), /NN-kebab-name/],
  [
    'steps and run together',
    () => task({ name: '04-x', title: 't', steps: [step('a')], run: async () => {} }),
    /not both/,
  ],
  ['neither steps nor run', () => task({ name: '04-x', title: 't' }), /needs steps/],
  [
    'two steps of one name',
    () => task({ name: '04-x', title: 't', steps: [step('a'), step('a')] }),
    /two steps are named a/,
  ],
  [
    'a need that is not an earlier step',
    () => task({ name: '04-x', title: 't', steps: [step('a', { needs: ['b'] }), step('b')] }),
    /needs b/,
  ],
  [
    'two steps of one number',
    () => task({ name: '04-x', title: 't', steps: [step('a', { step: 1 }), step('b', { step: 1 })] }),
    /share a number/,
  ],
  ['a step name that is not kebab-case', () => task({ name: '04-x', title: 't', steps: [step('Disk')] }), /kebab-case/],
];
for (const [name, make, message] of bad) test(`refused: ${name}`, () => assert.throws(make, message));

test('run is one step; a task that boots says it runs every time', () => {
  const t = task({ name: '04-report', title: 'a report', run: async () => {} });
  assert.equal(
    t.steps.map((s) => s.name),
    ['run'],
  );
  assert.is(t.always, undefined);
  const boots = task({ name: '05-vm', title: 'a vm', steps: [step('boot', { vm: 'x', boot: () => undefined })] });
  assert.is(boots.always, 'boots a VM');
});

test("a download's file is its URL's last segment, per architecture", () => {
  const d = download({
    name: 'img',
    title: 'an image',
    url: ({ ubuntuArch }) => `https://example.test/a/b-${ubuntuArch}.img`,
  });
  assert.equal([d.file('aarch64'), d.file('x86_64')], ['b-arm64.img', 'b-amd64.img']);
});

test('main names the step a run of the task runs; a step gives vm or vms, not both', () => {
  const steps = [
    { name: 'make-it', title: 'a', summary: 'a', make: async () => undefined },
    { name: 'try-it', title: 'b', summary: 'b', vm: 'x', boot: () => ({}) as never },
  ];
  const t = task({ name: '40-mine', title: 't', steps, main: 'make-it' });
  assert.is(mainStep(t).name, 'make-it');
  assert.is(t.always, undefined, 'its main step boots nothing: it can be up to date');
  assert.is(mainStep(task({ name: '40-mine', title: 't', steps })).name, 'try-it');
  assert.throws(() => task({ name: '40-mine', title: 't', steps, main: 'nope' }), /main names nope/);
  assert.throws(
    () =>
      task({
        name: '40-mine',
        title: 't',
        steps: [{ name: 'both', title: 'b', summary: 'b', vm: 'x', vms: () => [] }],
      }),
    /gives vm and vms/,
  );
});

test('splitName', () => {
  assert.equal(splitName('03-cloud-image'), { number: '03', short: 'cloud-image' });
  assert.equal(splitName('odd'), { number: '', short: 'odd' });
});

test.run();
