// Who gets a spinner: a terminal that says how wide it is. A pty of 0 columns (`script` without
// a terminal, some CI ptys) once made ora loop forever at 100 % CPU, writing gigabytes of escape
// codes; these run the real CLI on real ptys, bounded in time and in output.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { isInteractive } from '../../lib/runner/reporter.js';
import { binPath } from '../helpers/cli.js';
import { killProcessesMentioning } from '../helpers/processes.js';
import { hasScript, runInPty } from '../helpers/pty.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('reporter');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-reporter-');
});
test.after.each(() => {
  killProcessesMentioning(dir.path); // a run stopped at its bound leaves kubenet behind
  dir.remove();
});

const stream = (isTTY: boolean, columns: number | undefined) => ({ isTTY, columns }) as unknown as NodeJS.WriteStream;
const table: [string, NodeJS.WriteStream, NodeJS.ProcessEnv, boolean][] = [
  ['a terminal 80 columns wide', stream(true, 80), {}, true],
  ['a terminal of 0 columns', stream(true, 0), {}, false],
  ['a terminal that does not say its width', stream(true, undefined), {}, false],
  ['a pipe', stream(false, undefined), {}, false],
  ['a terminal under CI', stream(true, 80), { CI: 'true' }, false],
  ['a dumb terminal', stream(true, 80), { TERM: 'dumb' }, false],
];
for (const [what, out, env, expected] of table) {
  test(`${what} ${expected ? 'gets' : 'does not get'} a spinner`, () => {
    assert.is(isInteractive(out, env), expected);
  });
}

// The real CLI on a pty: 00-qemu for aarch64 guests (no accelerator probe on this x86 host, so
// it is quick; --force: every time) prints a command, notes and a result while its spinner runs.
// A person's environment: no CI, and none of the colour switches (uvu sets FORCE_COLOR, which
// Node ranks above NO_COLOR).
const noCi = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !['CI', 'NO_COLOR', 'FORCE_COLOR'].includes(k)));
const run00 = (columns: number, env: NodeJS.ProcessEnv = noCi()) =>
  runInPty(
    [process.execPath, binPath, 'run', '00-qemu', '--force', '--arch', 'aarch64', '--images', join(dir.path, 'images')],
    {
      columns,
      rows: columns === 0 ? 0 : 24,
      env,
      timeoutMs: 60_000, // the bound: a spinner that loops is stopped here
      maxBytes: 256 * 1024, // … or here, long before it has written gigabytes
    },
  );
const needsScript = 'util-linux `script` is not installed (apt-get install bsdutils)';
const spinnerStarted = '\x1b[?25l'; // ora hides the cursor while it spins

testWhen(test, hasScript, needsScript, 'on a pty of 0 columns kubenet prints plain lines and ends', async () => {
  const r = await run00(0);
  assert.is(r.stopped, undefined, `stopped: ${r.stopped} after ${r.bytes} bytes`);
  assert.is(r.code, 0, r.output);
  assert.ok(r.bytes < 16 * 1024, `${r.bytes} bytes`);
  assert.match(r.output, /^▶ 00-qemu: /m);
  assert.match(r.output, /^✔ 00-qemu: done/m);
  assert.not.match(r.output, spinnerStarted);
});

testWhen(test, hasScript, needsScript, 'on a pty 80 columns wide kubenet shows its spinner', async () => {
  const r = await run00(80);
  assert.is(r.code, 0, r.output);
  assert.match(r.output, spinnerStarted);
  assert.match(r.output, '00-qemu: done');
});

testWhen(test, hasScript, needsScript, 'NO_COLOR leaves no colour in the spinner', async () => {
  const colour = /\x1b\[[0-9;]*m/;
  const coloured = await run00(80, { ...noCi(), TERM: 'xterm-256color' });
  assert.match(coloured.output, colour, 'colours where they are allowed');
  const plain = await run00(80, { ...noCi(), TERM: 'xterm-256color', NO_COLOR: '1' });
  assert.is(plain.code, 0, plain.output);
  assert.match(plain.output, spinnerStarted, 'still a spinner');
  assert.not.match(plain.output, colour);
});

test.run();
