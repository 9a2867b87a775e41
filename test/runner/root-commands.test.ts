// Commands that need root: shown first with the reason, then run only with consent — --yes, or
// yes at a terminal — and without a needless sudo when kubenet is root already.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from '../../lib/command.js';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import {
  consent,
  consentToRun,
  runAsRoot,
  withoutNeedlessSudo,
  type RootEntry,
  type RootRun,
} from '../../lib/runner/root-commands.js';
import type { Reporter } from '../../lib/runner/reporter.js';

const test = suite('root commands');
const sudo = process.geteuid?.() === 0 ? '' : 'sudo '; // shown only where it is used
const bridge: Command[] = [
  { exe: 'ip', args: ['link', 'add', 'kubr0', 'type', 'bridge'] },
  { exe: 'ip', args: ['link', 'set', 'kubr0', 'up'] },
];

function fake(over: Partial<RootRun> = {}) {
  const printed: string[] = [];
  const ran: Command[] = [];
  const asked: string[] = [];
  const reporter = {
    print: (l: string) => printed.push(l),
    note: (_t: string, l: string) => printed.push(l),
    release: () => undefined,
  } as unknown as Reporter;
  const r: RootRun = {
    reporter,
    task: '21-shared-network',
    dryRun: false,
    yes: false,
    interactive: false,
    ask: async (q) => (asked.push(q), false),
    run: async (c) => ran.push(c),
    ...over,
  };
  return { r, printed, ran, asked };
}

test('with --yes the commands are shown with the reason, then run in order', async () => {
  const { r, printed, ran } = fake({ yes: true });
  await runAsRoot(r, 'the bridge joins the VMs', bridge);
  assert.match(
    printed.join('\n'),
    new RegExp(
      `as root — the bridge joins the VMs:\n {4}${sudo}ip link add kubr0 type bridge\n {4}${sudo}ip link set kubr0 up`,
    ),
  );
  assert.equal(
    ran.map((c) => [c.exe, ...c.args].join(' ')),
    ['ip link add kubr0 type bridge', 'ip link set kubr0 up'],
  );
});

test('without --yes and without a terminal nothing runs, and the error says how to consent', async () => {
  const { r, ran, printed } = fake();
  const error = await runAsRoot(r, 'the bridge joins the VMs', bridge).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isKubenetError(error));
  assert.is(error.code, ExitCode.usage);
  assert.match(error.message, '2 commands need root: the bridge joins the VMs');
  assert.match(error.hint ?? '', '--yes');
  assert.equal(ran, []);
  assert.match(printed.join('\n'), `${sudo}ip link add kubr0 type bridge`, 'shown first all the same');
});

test('at a terminal the question is asked once; no means nothing runs', async () => {
  const { r, ran, asked } = fake({ interactive: true });
  const error = await runAsRoot(r, 'why', bridge).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isKubenetError(error));
  assert.match(error.message, 'declined');
  assert.is(asked.length, 1);
  assert.equal(ran, []);
  const yes = fake({ interactive: true, ask: async () => true });
  await runAsRoot(yes.r, 'why', bridge);
  assert.is(yes.ran.length, 2);
});

test('--dry-run shows and neither asks nor runs; nothing to do asks nothing', async () => {
  const dry = fake({ dryRun: true, interactive: true });
  await runAsRoot(dry.r, 'why', bridge);
  assert.equal([dry.ran, dry.asked], [[], []]);
  assert.match(dry.printed.join('\n'), `${sudo}ip link set kubr0 up`);
  const none = fake();
  await runAsRoot(none.r, 'why', []);
  assert.equal(none.printed, []);
});

test('the first pass collects every root command with its reason: nothing printed, asked or run', async () => {
  const preview: RootEntry[] = [];
  const { r, printed, ran, asked } = fake({ interactive: true, session: { preview, consented: false } });
  await runAsRoot(r, 'the bridge joins the VMs', bridge);
  await consent(r, 'QEMU makes a TAP', [{ exe: 'qemu-system-x86_64', args: ['-nic', 'tap'], sudo: true }]);
  assert.equal([printed, ran, asked], [[], [], []]);
  assert.equal(
    preview.map((e) => [e.task, e.reason, e.commands.length]),
    [
      ['21-shared-network', 'the bridge joins the VMs', 2],
      ['21-shared-network', 'QEMU makes a TAP', 1],
    ],
  );
});

test(
  "the run's one consent: every command shown once under its " +
    'reason, one question; then each runs without asking again',
  async () => {
    const entries: RootEntry[] = [
      { task: '21-shared-network', reason: 'the bridge joins the VMs', commands: bridge },
      {
        task: '30-cluster',
        reason: 'QEMU makes a TAP',
        commands: [{ exe: 'qemu-system-x86_64', args: ['-nic', 'tap'] }],
      },
    ];
    const asking = fake({ interactive: true, ask: async (q) => (asking.asked.push(q), true) });
    await consentToRun(asking.r, entries);
    assert.is(asking.asked.length, 1);
    assert.match(
      asking.printed.join('\n'),
      /This run needs root: kubenet runs these 3 commands (as root|through sudo), each for the reason above it/,
    );
    assert.match(asking.printed.join('\n'), 'as root — QEMU makes a TAP:');
    const then = fake({ session: { consented: true } });
    await runAsRoot(then.r, 'the bridge joins the VMs', bridge);
    assert.equal([then.asked, then.ran.length], [[], 2]);
    assert.equal(then.printed, ['as root (agreed to above): the bridge joins the VMs']);
  },
);

test('the one consent refused without --yes and without a terminal: nothing was run or changed', async () => {
  const { r, asked } = fake();
  const error = await consentToRun(r, [{ task: 't', reason: 'why', commands: bridge }]).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isKubenetError(error));
  assert.is(error.code, ExitCode.usage);
  assert.match(error.message, 'this run needs root for 2 commands: nothing was run or changed');
  assert.equal(asked, []);
});

test('sudo is dropped only when kubenet is root', () => {
  const command: Command = { exe: 'ip', args: ['link'], sudo: true };
  assert.is(withoutNeedlessSudo(command).sudo, process.geteuid?.() !== 0);
});

test.run();
