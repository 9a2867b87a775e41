// A step done for several VMs is planned once per machine, narrowed by --vm (names or ids).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isKubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import { task } from '../../lib/task/define.js';
import { machinesOf, planStep } from '../../lib/task/plan-step.js';

const test = suite('planStep for several VMs');
const machines = [
  { name: 'a', id: 0, smp: 1, memory: '1G' },
  { name: 'b', id: 1, smp: 3, memory: '3G' },
];
const t = task({
  name: '40-pair',
  title: 'two VMs',
  steps: [
    {
      name: 'pair',
      title: 'p',
      summary: 'p',
      vms: () => machines,
      boot: ({ $, smp, memory, machine }) => $`run ${machine!.name} ${smp} ${memory}`,
    },
  ],
});
const plan = {
  settings: { images: '/i', offline: false, verbose: false, sources: {} },
  paths: makePaths('/i'),
  arch: 'x86_64' as const,
};

test("each machine's own CPUs and memory are ${smp} and ${memory} in its command", async () => {
  const p = await planStep(t, t.steps[0]!, { arch: 'x86_64', hostOs: 'linux', facts: undefined });
  assert.equal(
    p.boots.map((c) => c.args),
    [
      ['a', '1', '1G'],
      ['b', '3', '3G'],
    ],
  );
  assert.equal(p.boot?.args, ['a', '1', '1G']);
});

test("--vm picks by name or id, keeps the step's order, and an unknown one lists the VMs", () => {
  assert.equal(
    machinesOf(t.steps[0]!, plan, ['1', 'a']).map((m) => m?.name),
    ['a', 'b'],
  );
  try {
    machinesOf(t.steps[0]!, plan, ['c']);
    assert.unreachable();
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, 'no VM c in step pair');
    assert.match(error.hint ?? '', 'a (0), b (1)');
  }
});

test.run();
