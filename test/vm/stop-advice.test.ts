// The advice for a running VM fits how it runs: its console in another terminal, a window, a
// headless kubenet, detached — or a kubenet that is gone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { howItRuns, stopAdvice } from '../../lib/vm/stop-advice.js';
import type { RunRecord } from '../../lib/vm/run-record.js';

const test = suite('stop-advice');
const live = process.pid; // a kubenet that is alive
const gone = 999_999_999; // above any pid Linux hands out
const record = (r: Partial<RunRecord>): RunRecord => ({
  kubenet: live,
  detached: false,
  console: 'headless',
  startedAt: '2026-11-26T12:00:00Z',
  ...r,
});

const cases: Array<[string, RunRecord | undefined, string, string]> = [
  [
    'its console in another terminal',
    record({ console: 'terminal' }),
    'Ctrl-A X in the terminal that shows its console, or kubenet stop ubuntu0',
    `run by kubenet pid ${live} (its console in a terminal)`,
  ],
  [
    "QEMU's window",
    record({ console: 'window' }),
    "close QEMU's window, or kubenet stop ubuntu0",
    `run by kubenet pid ${live} (QEMU's window)`,
  ],
  [
    'a headless foreground run',
    record({ console: 'headless' }),
    `Ctrl-C where kubenet runs it (pid ${live}), or kubenet stop ubuntu0`,
    `run by kubenet pid ${live} (headless)`,
  ],
  ['detached', record({ detached: true }), 'kubenet stop ubuntu0', 'detached'],
  [
    'a foreground kubenet that is gone (killed, QEMU outlived it)',
    record({ console: 'terminal', kubenet: gone }),
    'kubenet stop ubuntu0',
    `its kubenet (pid ${gone}) is gone`,
  ],
  [
    'no record (its kubenet killed before it wrote one)',
    undefined,
    'kubenet stop ubuntu0',
    'how it runs is not recorded',
  ],
];
for (const [how, r, advice, words] of cases) {
  test(`${how}: "${advice}"`, () => {
    assert.is(stopAdvice('ubuntu0', r), advice);
    assert.is(howItRuns(r), words);
  });
}

test.run();
