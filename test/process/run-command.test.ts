import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommandArgv } from '../../lib/process/run-command.js';
import { processError } from '../../lib/process/run-process.js';
import { alive } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('runCommandArgv: a task command through zx, each word quoted');

test('words reach the program as they are: nothing in a value is read by the shell zx runs', async () => {
  const value = 'a b; $(touch x) `y` \'q\' "d" \\ * ~ $HOME\n\t!';
  const argv = ['sh', '-c', 'cat; printf "|%s" "$1" "$2"', 'sh', value, ''];
  const r = await runCommandArgv(argv, { input: 'in\n', timeoutMs: 10_000 });
  assert.equal([r.exitCode, r.stdout, r.stderr], [0, `in\n|${value}|`, '']);
});

test('an empty input is an empty standard input, closed: a reader of it ends', async () => {
  const r = await runCommandArgv(['cat'], { input: '', timeoutMs: 10_000 });
  assert.equal([r.exitCode, r.stdout, r.timedOut], [0, '', false]);
});

test("a program that is not there: the shell's 127; one that cannot run: 126", async () => {
  const missing = await runCommandArgv(['kubenet-no-such-tool', 'x'], { timeoutMs: 10_000 });
  assert.equal([missing.exitCode, missing.cause], [127, undefined]);
  assert.match(missing.stderr, 'kubenet-no-such-tool: command not found');
  const dir = tempDir('kubenet-run-command-');
  try {
    const script = join(dir.path, 'not-executable');
    writeFileSync(script, '#!/bin/sh\n', { mode: 0o644 });
    assert.is((await runCommandArgv([script], { timeoutMs: 10_000 })).exitCode, 126);
  } finally {
    dir.remove();
  }
});

test('past its bound: SIGTERM, then SIGKILL after the grace, to the shell and what it started', async () => {
  const started = Date.now();
  const stubborn = ['sh', '-c', 'trap "" TERM; sleep 60 & echo $$ $!; while :; do sleep 1; done'];
  const r = await runCommandArgv(stubborn, { timeoutMs: 500, graceMs: 300 });
  assert.ok(Date.now() - started < 20_000, 'bounded');
  assert.equal([r.timedOut, r.aborted, r.exitCode, r.signal], [true, false, null, 'SIGKILL']);
  const pids = r.stdout.trim().split(' ').map(Number);
  assert.is(pids.length, 2);
  assert.equal(pids.filter(alive), [], 'nothing left running');
  assert.match(processError(r).message, /did not finish in 0\.5 s$/);
});

test("the caller's signal ends it as the timeout does; an aborted signal starts nothing", async () => {
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 300);
  const r = await runCommandArgv(['sleep', '30'], { timeoutMs: 60_000, signal: stop.signal });
  assert.equal([r.aborted, r.timedOut, r.exitCode], [true, false, null]);
  const never = await runCommandArgv(['sh', '-c', 'exit 3'], { signal: stop.signal });
  assert.equal([never.aborted, never.exitCode], [true, null]);
});

test("the shell reads no ~/.bashrc, even where SHLVL is unset (Debian's bash with a socket for stdin)", async () => {
  const home = tempDir('kubenet-run-command-home-');
  try {
    writeFileSync(join(home.path, '.bashrc'), 'echo from-bashrc\n');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home.path };
    const r = await runCommandArgv(['echo', 'hello'], { env, timeoutMs: 10_000 });
    assert.equal([r.exitCode, r.stdout], [0, 'hello\n']);
  } finally {
    home.remove();
  }
});

test("echoStderr: what it says on stderr reaches kubenet's stderr as well; stdout never", () => {
  const module = new URL('../../lib/process/run-command.js', import.meta.url).href;
  const script = `import { runCommandArgv } from ${JSON.stringify(module)};
const argv = ['sh', '-c', 'echo said-out; echo said-err >&2'];
const r = await runCommandArgv(argv, { echoStderr: true, timeoutMs: 10000 });
process.stdout.write(JSON.stringify([r.stdout, r.stderr]));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.is(r.stdout, JSON.stringify(['said-out\n', 'said-err\n']), r.stderr);
  assert.is(r.stderr, 'said-err\n');
});

test.run();
