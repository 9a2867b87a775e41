import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { ExitCode } from '../../lib/errors.js';
import { processError, runChecked, runProcess } from '../../lib/process/run-process.js';
import { alive } from '../helpers/processes.js';

const test = suite('runProcess: short commands, bounded');

test('a real command runs to completion: its exit code and what it printed, final newline kept', async () => {
  const r = await runProcess('sh', ['-c', 'echo out; echo err >&2'], { timeoutMs: 10_000 });
  const seen = [r.exitCode, r.signal, r.stdout, r.stderr, r.timedOut, r.notFound];
  assert.equal(seen, [0, undefined, 'out\n', 'err\n', false, false]);
});

test('input goes to its standard input, argv words reach it as they are (no shell)', async () => {
  const words = ['-c', 'cat; printf "|%s" "$1"', 'sh', 'a b; $(x)'];
  const r = await runProcess('sh', words, { timeoutMs: 10_000, input: 'in\n' });
  assert.is(r.stdout, 'in\n|a b; $(x)');
});

test('a command past its bound is killed (SIGKILL after the grace: it ignores SIGTERM), and says so', async () => {
  const started = Date.now();
  const stubborn = ['-c', 'trap "" TERM; echo $$; while :; do sleep 1; done'];
  const r = await runProcess('sh', stubborn, { timeoutMs: 300, graceMs: 300 });
  assert.ok(Date.now() - started < 20_000, 'bounded');
  assert.ok(r.timedOut);
  assert.is(r.signal, 'SIGKILL');
  assert.not.ok(alive(Number(r.stdout.trim())));
  const error = processError(r);
  assert.match(error.message, /^sh -c .* did not finish in 0\.3 s$/);
  assert.is(error.code, ExitCode.failure);
});

test("the caller's signal ends it as the timeout does; an aborted signal starts nothing", async () => {
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 200);
  const r = await runProcess('sleep', ['30'], { timeoutMs: 60_000, signal: stop.signal });
  assert.equal([r.aborted, r.timedOut, r.signal], [true, false, 'SIGTERM']);
  const never = await runProcess('sh', ['-c', 'exit 3'], { signal: stop.signal });
  assert.equal([never.aborted, never.exitCode], [true, null]);
  assert.is(processError(never).code, ExitCode.interrupted);
});

test('a program that is not there: not found, a host error that says to install it', async () => {
  const r = await runProcess('kubenet-no-such-tool', ['x'], { timeoutMs: 10_000 });
  assert.ok(r.notFound);
  assert.is(r.exitCode, null);
  const error = processError(r);
  assert.is(error.message, 'kubenet-no-such-tool x was not found');
  assert.is(error.code, ExitCode.host);
  assert.match(error.hint ?? '', 'install kubenet-no-such-tool');
});

test('a non-zero exit: the code and the end of what it said on stderr', async () => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
  const r = await runProcess('sh', ['-c', `printf '${lines}\\n' >&2; exit 4`], { timeoutMs: 10_000 });
  assert.is(r.exitCode, 4);
  const error = processError(r, { what: 'the tool', hint: 'try again' });
  assert.is(error.message, 'the tool exited with 4');
  assert.is(error.details, Array.from({ length: 15 }, (_, i) => `line ${i + 5}`).join('\n'));
  assert.is(error.hint, 'try again');
  const thrown = await runChecked('sh', ['-c', 'exit 4'], { timeoutMs: 10_000 }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.match(thrown?.message ?? 'resolved', 'exited with 4');
});

test('a command killed by a signal says which', async () => {
  const r = await runProcess('sh', ['-c', 'kill -9 $$'], { timeoutMs: 10_000 });
  assert.equal([r.exitCode, r.signal], [null, 'SIGKILL']);
  assert.match(processError(r).message, 'was killed by SIGKILL');
});

test("env is its whole environment; echoStderr: stderr reaches kubenet's stderr as well, stdout never", () => {
  const module = new URL('../../lib/process/run-process.js', import.meta.url).href;
  const script = `import { runProcess } from ${JSON.stringify(module)};
const env = { PATH: process.env.PATH, ONLY: 'this' };
const args = ['-c', 'echo "$ONLY|$HOME"; echo said-err >&2'];
const r = await runProcess('sh', args, { env, echoStderr: true, timeoutMs: 10000 });
process.stdout.write(JSON.stringify([r.stdout, r.stderr]));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.is(r.stdout, JSON.stringify(['this|\n', 'said-err\n']), r.stderr);
  assert.is(r.stderr, 'said-err\n');
});

test.run();
