// Golden test: the steps of tasks 20–30, planned for the guide's own two hosts, run the commands
// of that host's edition of chapters 2 and 3 — taken from the guide's own text (its scripts run
// by bash, its terminal's blocks by the edition's shell, every command written down and none run:
// test/helpers/guide-cluster-steps.ts) — token for token and in order, with the text a `sudo tee`
// writes, but for the differences named there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { argvOfCommand, type Command } from '../../lib/command.js';
import { guideSide } from '../../lib/explain/sides.js';
import { planStep } from '../../lib/task/plan-step.js';
import { chapterDownloads, chapterTasks } from '../helpers/chapter-tasks.js';
import { chaptersTwoThree } from '../helpers/guide-cluster-steps.js';
import { mismatch } from '../helpers/guide-differences.js';
import { absentSections, sectionIn } from '../helpers/guide-steps.js';
import { hasGuideText, whyCannotRead, whyNoGuideText } from '../helpers/guide-text.js';
import { testWhen } from '../helpers/skip.js';

const cluster = chapterTasks.filter((t) => Number(t.name.slice(0, 2)) >= 20 && Number(t.name.slice(0, 2)) < 40);
const test = suite("chapters 2 and 3 task files against the guide's text");
const why = whyCannotRead() ?? '';
const canRead = why === '';
const profiles = [
  ['linux-x86_64', 'x86_64', 'linux'],
  ['darwin-arm64', 'aarch64', 'macos'],
] as const;
const shown = (c: Command) => ({ argv: argvOfCommand(c), ...(c.input === undefined ? {} : { input: c.input }) });

test("the chapters are tasks 20, 21, 22 and 30, their numbered steps 12 to 22 in the guide's order", () => {
  assert.equal(
    cluster.map((t) => t.name),
    ['20-vm-images', '21-shared-network', '22-host-network', '30-cluster'],
  );
  assert.equal(
    cluster.flatMap((t) => t.steps.flatMap((s) => (s.step === undefined ? [] : [s.step]))),
    [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22],
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
      const text = chaptersTwoThree(edition);
      const problems: string[] = [];
      const seen = new Set<string>();
      for (const task of cluster) {
        for (const step of task.steps) {
          const key = String(step.step ?? step.name);
          const expected = text.find((s) => s.key === key);
          const plan = await planStep(task, step, {
            arch,
            hostOs: side.hostOs,
            facts: side.facts,
            downloads: async (n) => chapterDownloads.find((d) => d.name === n),
            ...(expected?.vms ? { vms: expected.vms } : {}),
          });
          const got = [...plan.commands, ...plan.boots].map(shown);
          if (!expected) {
            // A step of the other edition only: on this host it has nothing to do.
            if (step.onlyIn?.edition === edition || step.onlyIn === undefined)
              problems.push(`step ${key} has no place in the ${edition} edition's text`);
            else if (got.length)
              problems.push(
                `step ${key}, the other edition's only, runs here: ${got.map((g) => g.argv.join(' ')).join('; ')}`,
              );
            continue;
          }
          seen.add(key);
          const problem = mismatch(expected, got);
          if (problem) problems.push(problem);
        }
      }
      // vmsshall.sh: 30-cluster's launch does it as each VM comes up, nothing of it in a plan.
      const ssh = text.find((s) => s.key === 'ssh')!;
      const problem = mismatch(ssh, []);
      if (problem) problems.push(problem);
      seen.add('ssh');
      const unplanned = text.filter((s) => !seen.has(s.key)).map((s) => s.key);
      if (unplanned.length) problems.push(`the guide map names steps no task has: ${unplanned.join(', ')}`);
      if (problems.length) assert.unreachable(problems.join('\n\n'));
    },
  );
}

testWhen(
  test,
  hasGuideText(),
  whyNoGuideText(),
  "the Linux edition's bridge, TAP script, forwarding and NAT " +
    "are not in the macOS edition's text, and their steps say so",
  () => {
    for (const { chapter, heading } of absentSections.macos) {
      assert.not.ok(sectionIn('macos', chapter, heading), `the macOS edition has no "${heading}"`);
      assert.ok(sectionIn('linux', chapter, heading), `the Linux edition has "${heading}"`);
    }
    const onlyIn = cluster.flatMap((t) =>
      t.steps.filter((s) => s.onlyIn).map((s) => [s.step ?? s.name, s.onlyIn!.edition]),
    );
    assert.equal(onlyIn, [
      [15, 'linux'],
      [16, 'linux'],
      [17, 'linux'],
      [18, 'linux'],
      ['persistent-bridge', 'linux'],
      ['persistent-forwarding', 'linux'],
      ['persistent-nat', 'linux'],
    ]);
  },
);

test("a cluster of another shape is planned from kubenet.yaml's cluster: alone", async () => {
  const side = guideSide('x86_64');
  const launch = cluster.find((t) => t.name === '30-cluster')!;
  const settings = {
    cluster: { controls: 1, workers: 1, network: '10.9.8', resources: { worker: { cpus: 1, memory: '512M' } } },
  };
  const plan = await planStep(launch, launch.steps[1]!, {
    arch: 'x86_64',
    hostOs: side.hostOs,
    facts: side.facts,
    settings,
  });
  assert.equal(
    plan.boots.map((c) => [
      c.args[c.args.indexOf('-smp') + 1],
      c.args[c.args.indexOf('-m') + 1],
      c.args.find((a) => a.startsWith('tap,')),
    ]),
    [
      ['2', '2G', 'tap,script=tapup.sh,downscript=no,mac=52:52:52:00:00:00'],
      ['2', '2G', 'tap,script=tapup.sh,downscript=no,mac=52:52:52:00:00:01'],
      ['1', '512M', 'tap,script=tapup.sh,downscript=no,mac=52:52:52:00:00:02'],
    ],
  );
  const one = await planStep(launch, launch.steps[0]!, {
    arch: 'x86_64',
    hostOs: side.hostOs,
    facts: side.facts,
    settings,
    vms: ['2'],
  });
  assert.equal(
    one.boots.map((c) => c.args.at(-1)),
    ['file=worker0/cidata.iso,driver=raw,if=virtio'],
  );
});

test.run();
