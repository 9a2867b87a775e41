import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { hostname } from 'node:os';
import { describeOwner, ownerRecord, parseOwner, thisMachine } from '../../lib/lock/lock-owner.js';
import { processState } from '../../lib/process/pid-state.js';
import { testWhen } from '../helpers/skip.js';

const test = suite('lock owner');

test('this process describes itself: pid, host, machine, what, a fresh token each time', () => {
  const a = ownerRecord('downloading x');
  assert.is(a.pid, process.pid);
  assert.is(a.host, hostname());
  assert.is(a.machine, thisMachine());
  assert.is(a.what, 'downloading x');
  assert.is.not(a.token, ownerRecord('downloading x').token);
});

for (const [text, why] of [
  ['', 'empty (its writer was killed before writing)'],
  ['{"pid":1', 'torn'],
  ['{"host":"h"}', 'without a pid'],
] as const) {
  test(`a lock file that is ${why} has no owner`, () => assert.is(parseOwner(text), undefined));
}

test('an owner is described for a person: pid, host when it is another, what and since when', () => {
  const at = new Date(2026, 0, 1, 9, 5, 7).getTime();
  assert.is(
    describeOwner({ ...ownerRecord('running ubuntu0'), pid: 42, startedAt: at }),
    'pid 42 (running ubuntu0 since 09:05:07)',
  );
  assert.is(
    describeOwner({ ...ownerRecord('running ubuntu0'), pid: 42, host: 'ci-7', startedAt: at }),
    'pid 42 on ci-7 (running ubuntu0 since 09:05:07)',
  );
  assert.is(describeOwner(undefined), 'a process that left no name');
});

testWhen(
  test,
  process.platform === 'linux',
  'needs /proc',
  'the start time of a live process is known and stable, and a missing one has none',
  () => {
    const state = processState(process.pid);
    assert.ok(state && /^\d+$/.test(state.start));
    assert.equal(processState(process.pid), state);
    assert.is(state!.zombie, false);
    assert.is(processState(2 ** 22 + 1), undefined);
  },
);

test.run();
