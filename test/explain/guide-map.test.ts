// `kubenet guide` as data: each step's status from its task, its files, its VM and its
// downloads, and the step to run next.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideRow, nextRow, renderGuideMap, type GuideRow, type GuideStep } from '../../lib/explain/guide-map.js';
import type { Edition } from '../../lib/host/types.js';
import { stepCommand } from '../../lib/explain/step-label.js';
import { chapterTasks as allTasks } from '../helpers/chapter-tasks.js';

const test = suite('guide map');
// Chapter 1's map; chapters 2 and 3 add steps 12–22 the same way (test/cli/guide-commands.test.ts).
const chapterTasks = allTasks.filter((t) => t.name < '04');
const names = allTasks.map((t) => t.name);

interface Progress {
  qemu?: 'done' | 'never-run' | 'stale';
  files?: string[]; // files that exist
  booted?: string[]; // VMs with a serial log
  verified?: string[]; // downloads verified here
}

function steps(p: Progress): GuideStep[] {
  return chapterTasks.flatMap((task) =>
    task.steps.map((step) => ({
      step: step.step!,
      name: step.name,
      title: step.title,
      summary: step.summary,
      ...(step.onlyIn ? { onlyIn: step.onlyIn } : {}),
      task: task.name,
      command: stepCommand(task, step, names),
      explain: `kubenet explain ${task.name} --step ${step.name}`,
      ...(task.outputs
        ? {
            taskStatus:
              p.qemu === 'done'
                ? { state: 'done' as const }
                : p.qemu === 'stale'
                  ? { state: 'stale' as const, reason: 'changed: option accel' }
                  : { state: 'never-run' as const },
          }
        : {}),
      makes: (step.makes ?? []).map((file) => ({ file, exists: (p.files ?? []).includes(file) })),
      ...(step.vm ? { booted: (p.booted ?? []).includes(step.vm) } : {}),
      missing: (step.needs ?? []).flatMap((n) =>
        typeof n === 'string' || (p.verified ?? []).includes(n.name) ? [] : [n.name],
      ),
    })),
  );
}
const rows = (p: Progress) => steps(p).map(guideRow);
const states = (p: Progress) => rows(p).map((r) => r.state);
const everything: Progress = {
  qemu: 'done',
  files: ['ubuntu.img', 'ubuntu0.img', 'cloud-init/user-data', 'cloud-init/meta-data', 'cidata.iso'],
  booted: ['machine', 'live-cd', 'ubuntu0'],
  verified: ['live-iso', 'cloud-img'],
};

test('on a fresh machine nothing is done and step 1 is next', () => {
  assert.equal(states({}), Array(11).fill('not-yet'));
  assert.is(nextRow(rows({}))!.command, 'kubenet run 00-qemu');
});

test('after 00-qemu, the bare machine of step 2 is next: a QEMU command with no download', () => {
  const next = nextRow(rows({ qemu: 'done' }))!;
  assert.is(next.command, 'kubenet run bare-machine');
  assert.is(next.note, undefined, 'needs nothing');
});

test('with the live CD booted and no disk yet, step 8 is next, named by its heading', () => {
  const p: Progress = { qemu: 'done', booted: ['machine', 'live-cd'], verified: ['live-iso'] };
  assert.equal(states(p), [
    'done',
    'booted',
    'booted',
    'booted',
    'booted',
    'booted',
    'booted',
    'not-yet',
    'not-yet',
    'not-yet',
    'not-yet',
  ]);
  assert.is(nextRow(rows(p))!.command, 'kubenet run disk');
});

test("a step whose name is also a task's runs by its number", () => {
  assert.equal(
    rows({})
      .filter((r) => /run \d+$/.test(r.command))
      .map((r) => [r.step, r.command]),
    [
      [2, 'kubenet run 2'],
      [5, 'kubenet run 5'],
      [9, 'kubenet run 9'],
    ].filter(([s]) => s !== 2),
  );
});

test('step 1 comes before later steps that are done, since they all need it', () => {
  assert.is(nextRow(rows({ ...everything, qemu: 'never-run' }))!.step, 1);
});

test('a stale step comes first, with its reason', () => {
  const next = nextRow(rows({ ...everything, qemu: 'stale' }))!;
  assert.is(next.step, 1);
  assert.is(next.note, 'changed: option accel');
});

test('a download not verified here is named in the note', () => {
  assert.is(rows({ qemu: 'done' })[4]!.note, 'needs the download live-iso');
});

test('when every step is done there is nothing next, and the map says so', () => {
  assert.is(nextRow(rows(everything)), undefined);
  assert.match(renderGuideMap(steps(everything), 'The guide'), 'Every step has been run');
});

test('the map lists the steps in order with their commands, and the next one with how to explain it', () => {
  const text = renderGuideMap(steps({ qemu: 'done' }), 'The guide');
  const lines = text.split('\n');
  assert.match(lines[2]!, /^ 1 {2}QEMU version +kubenet run 00-qemu +done — macOS edition only$/);
  assert.match(
    lines[12]!,
    new RegExp(
      /^11 {2}cloud-init \(NoCloud\) +kubenet run cloud-init +not yet /.source +
        /\(cloud-init\/user-data, cloud-init\/meta-data, cidata\.iso not made yet\)$/.source,
    ),
  );
  assert.match(text, 'Next: kubenet run bare-machine');
  assert.match(text, 'kubenet explain 01-machine --step bare-machine');
});

test('the map speaks the command the user ran (npx kubenet)', () => {
  const text = renderGuideMap(steps({}), 'The guide', 'npx kubenet');
  assert.match(text, /^ 1 {2}QEMU version +npx kubenet run 00-qemu +not yet — macOS edition only$/m);
  assert.match(text, 'Next: npx kubenet run 00-qemu');
});

test('a step in one edition only says so at the end of its line', () => {
  const text = renderGuideMap(steps({ qemu: 'done' }), 'The guide', 'kubenet', 'linux');
  assert.match(
    text,
    new RegExp(
      /^ 7 {2}Graphics and peripherals +kubenet run graphics +not yet /.source +
        /\(needs the download live-iso\) — macOS edition only$/.source,
      'm',
    ),
  );
  assert.match(text, /^ 6 {2}Network +kubenet run network +not yet \(needs the download live-iso\)$/m);
});

// Rows as guideRow makes them: step 3 is in the macOS edition only.
const editionRows: GuideRow[] = [
  { step: 1, title: 'one', command: 'kubenet run 1', state: 'done' },
  { step: 2, title: 'two', command: 'kubenet run 2', state: 'booted' },
  { step: 3, title: 'three', onlyIn: 'macos', command: 'kubenet run 3', state: 'not-yet' },
  { step: 4, title: 'four', command: 'kubenet run 4', state: 'not-yet' },
];
const nextCases: [string, Edition | undefined, number][] = [
  ["a host following the Linux edition passes over the macOS edition's step", 'linux', 4],
  ['a host following the macOS edition takes it', 'macos', 3],
  ['without an edition, every step counts', undefined, 3],
];
for (const [name, follows, next] of nextCases)
  test(`next: ${name}`, () => assert.is(nextRow(editionRows, follows)!.step, next));

test('next: a stale step of the other edition still comes first', () => {
  assert.is(
    nextRow([{ ...editionRows[0]!, state: 'stale', onlyIn: 'macos' }, ...editionRows.slice(1)], 'linux')!.step,
    1,
  );
});

test.run();
