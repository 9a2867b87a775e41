// Golden test: every numbered step of the chapter-1 task files, planned for the guide's own two
// hosts, runs exactly the guide's commands, token for token (test/fixtures/guide/…, written out
// by hand from chapter-01.md). The task files are the only place these commands are written.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { argvOfCommand } from '../../lib/command.js';
import { guideSide } from '../../lib/explain/sides.js';
import { planStep } from '../../lib/task/plan-step.js';
import type { Download, Task } from '../../lib/task/types.js';

const fixture = fileURLToPath(new URL('../../../test/fixtures/guide/chapter-01-commands.txt', import.meta.url));
const tasksDir = fileURLToPath(new URL('../../tasks/', import.meta.url));

// "[profile] fw=PATH" starts a section; "N: command" lines follow.
function guideCommands(): Map<string, Map<number, string[][]>> {
  const out = new Map<string, Map<number, string[][]>>();
  let steps: Map<number, string[][]> | undefined;
  let fw = '';
  for (const raw of readFileSync(fixture, 'utf8').split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const section = /^\[(\S+)\] fw=(\S+)$/.exec(line);
    if (section) {
      steps = new Map();
      out.set(section[1]!, steps);
      fw = section[2]!;
      continue;
    }
    const step = /^(\d+): (.+)$/.exec(line);
    if (!step || !steps) continue;
    const argv = step[2]!.split(/\s+/).map((w) => w.replace('<fw>', fw));
    steps.set(Number(step[1]), [...(steps.get(Number(step[1])) ?? []), argv]);
  }
  return out;
}

const tasks: Task[] = await Promise.all(
  readdirSync(tasksDir).filter((f) => /^0\d-.*\.js$/.test(f)).sort().map(async (f) => (await import(pathToFileURL(`${tasksDir}${f}`).href)).default as Task),
);
const downloads = tasks.flatMap((t) => t.steps.flatMap((s) => (s.needs ?? []).filter((n): n is Download => typeof n !== 'string')));

const test = suite('chapter 1 task files against the guide');
const profiles = [['darwin-arm64', 'aarch64'], ['linux-x86_64', 'x86_64']] as const;

test('chapter 1 is four tasks, 00 to 03, with the eleven steps in the guide\'s order', () => {
  assert.equal(tasks.map((t) => t.name), ['00-qemu', '01-machine', '02-live-cd', '03-cloud-image']);
  assert.equal(tasks.flatMap((t) => t.steps.map((s) => s.step)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

for (const [profile, arch] of profiles) {
  test(`${profile}: every step's commands are the guide's, token for token`, async () => {
    const expected = guideCommands().get(profile)!;
    const side = guideSide(arch);
    for (const task of tasks) {
      for (const step of task.steps) {
        const plan = await planStep(task, step, { arch, hostOs: side.hostOs, facts: side.facts, downloads: async (n) => downloads.find((d) => d.name === n) });
        const got = [...plan.commands, ...(plan.boot ? [plan.boot] : [])].map(argvOfCommand);
        assert.equal(got, expected.get(step.step!) ?? [], `step ${step.step} (${step.name})`);
      }
    }
  });
}

test('steps before the live CD need no download; the live CD steps need only the ISO', () => {
  const needs = new Map(tasks.flatMap((t) => t.steps.map((s) => [s.step, (s.needs ?? []).map((n) => (typeof n === 'string' ? n : n.name))] as const)));
  for (const step of [1, 2, 3, 4]) assert.equal(needs.get(step), [], `step ${step}`);
  for (const step of [5, 6, 7, 8]) assert.equal(needs.get(step), ['live-iso'], `step ${step}`);
  assert.equal(needs.get(9), ['cloud-img']);
});

test.run();
