// Golden test: every numbered step of the chapter-1 task files, planned for the guide's own two
// hosts, runs the commands of that host's edition of the guide — taken from the guide's own text
// (../shared/guide, read by test/helpers/guide-steps.ts), token for token, but for the
// differences named there. A step in one edition only is that edition's step on the other's host.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { argvOfCommand, type Command } from '../../lib/command.js';
import { guideSide } from '../../lib/explain/sides.js';
import { planStep } from '../../lib/task/plan-step.js';
import { chapterDownloads, chapterTasks } from '../helpers/chapter-tasks.js';
import { mismatch } from '../helpers/guide-differences.js';
import { absentSections, chapterOne, sectionIn } from '../helpers/guide-steps.js';
import { guideDir, hasGuideText, whyCannotRead, whyNoGuideText } from '../helpers/guide-text.js';
import { testWhen } from '../helpers/skip.js';

const tasks = chapterTasks.filter((t) => t.name < '04');
const test = suite("chapter 1 task files against the guide's text");
const why = whyCannotRead() ?? '';
const canRead = why === '';
const profiles = [
  ['linux-x86_64', 'x86_64', 'linux'],
  ['darwin-arm64', 'aarch64', 'macos'],
] as const;
const shown = (c: Command) => ({ argv: argvOfCommand(c), ...(c.input === undefined ? {} : { input: c.input }) });

test("chapter 1 is four tasks, 00 to 03, with the eleven steps in the guide's order", () => {
  assert.equal(
    tasks.map((t) => t.name),
    ['00-qemu', '01-machine', '02-live-cd', '03-cloud-image'],
  );
  assert.equal(
    tasks.flatMap((t) => t.steps.map((s) => s.step)),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
});

for (const [profile, arch, edition] of profiles) {
  testWhen(
    test,
    canRead,
    why,
    `${profile}: every step runs ${edition === 'linux' ? 'the Linux' : 'the macOS'} ` +
      `edition's commands, token for token, but for the differences named`,
    async () => {
      const side = guideSide(arch);
      const text = chapterOne(edition);
      const problems: string[] = [];
      for (const task of tasks) {
        for (const step of task.steps) {
          const expected = text.find((s) => s.key === String(step.step))!;
          const plan = await planStep(task, step, {
            arch,
            hostOs: side.hostOs,
            facts: side.facts,
            downloads: async (n) => chapterDownloads.find((d) => d.name === n),
          });
          const problem = mismatch(expected, [...plan.commands, ...plan.boots].map(shown));
          if (problem) problems.push(problem);
          if ((step.onlyIn?.edition ?? edition) !== (expected.only ?? edition))
            problems.push(
              `step ${step.step}: the guide has it in ${expected.only ?? 'both editions'}, ` +
                `the task file says ${step.onlyIn?.edition ?? 'both'}`,
            );
        }
      }
      if (problems.length) assert.unreachable(problems.join('\n\n'));
    },
  );
}

testWhen(
  test,
  hasGuideText(),
  whyNoGuideText(),
  "a step in one edition only is one whose section the other edition's text does not have",
  () => {
    for (const { chapter, heading } of absentSections.linux.filter((s) => s.chapter === 1)) {
      assert.not.ok(sectionIn('linux', chapter, heading), `the Linux edition has no "${heading}"`);
      assert.ok(sectionIn('macos', chapter, heading), `the macOS edition has "${heading}"`);
    }
    const onlyIn = tasks.flatMap((t) => t.steps.filter((s) => s.onlyIn).map((s) => [s.step, s.onlyIn!.edition]));
    assert.equal(onlyIn, [
      [1, 'macos'],
      [7, 'macos'],
    ]);
  },
);

testWhen(
  test,
  hasGuideText(),
  whyNoGuideText(),
  "QEMU_VERSION (step 1) is in the macOS edition's earlier text only: neither edition has it today",
  () => {
    const read = (file: string) => readFileSync(join(guideDir(), file), 'utf8');
    assert.match(read('launching-vms-with-qemu.md'), 'QEMU_VERSION=$(qemu-system-aarch64 --version');
    for (const file of [
      'upstream/linux-01_Learning_How_to_Run_VMs_with_QEMU.md',
      'upstream/macos-01_Learning_How_to_Run_VMs_with_QEMU.md',
    ])
      assert.not.match(read(file), 'QEMU_VERSION', file);
  },
);

test('steps before the live CD need no download; the live CD steps need only the ISO', () => {
  const needs = new Map(
    tasks.flatMap((t) =>
      t.steps.map((s) => [s.step, (s.needs ?? []).map((n) => (typeof n === 'string' ? n : n.name))] as const),
    ),
  );
  for (const step of [1, 2, 3, 4]) assert.equal(needs.get(step), [], `step ${step}`);
  for (const step of [5, 6, 7, 8]) assert.equal(needs.get(step), ['live-iso'], `step ${step}`);
  assert.equal(needs.get(9), ['cloud-img']);
});

test.run();
