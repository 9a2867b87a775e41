import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '../../lib/runner/registry.js';
import { taskStatus } from '../../lib/runner/run-tasks.js';
import { runRequest } from '../../lib/runner/run-request.js';
import { createReporter, type Reporter } from '../../lib/runner/reporter.js';
import { normalizeSettings } from '../../lib/settings/settings.js';
import { makePaths } from '../../lib/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { writeFakeTasks } from '../helpers/fake-tasks.js';
import { silentReporter } from '../helpers/silent-reporter.js';

const test = suite('runTasks');
let dir: ReturnType<typeof tempDir>;
let tasksDir: string;
let images: string;
test.before.each(() => {
  dir = tempDir();
  tasksDir = join(dir.path, 'tasks');
  images = join(dir.path, 'images');
  mkdirSync(tasksDir);
  mkdirSync(images);
});
test.after.each(() => dir.remove());

const profile = { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' } as const;
const open = () => Registry.open([{ dir: tasksDir, builtIn: false }]);
const plan = () => ({ settings: normalizeSettings({ images }), paths: makePaths(images), arch: 'x86_64' as const });

async function runNames(names: string[], flags: { force?: boolean; dryRun?: boolean; reporter?: Reporter } = {}) {
  const settings = normalizeSettings({ images });
  return runRequest({
    graph: await open(),
    settings,
    paths: makePaths(images),
    profile,
    words: names,
    dryRun: flags.dryRun ?? false,
    force: flags.force ?? false,
    boot: { headless: true, timeoutMs: 60_000 },
    reporter: flags.reporter ?? silentReporter,
    signal: new AbortController().signal,
  });
}
const runs = () =>
  existsSync(join(images, 'runs.log')) ? readFileSync(join(images, 'runs.log'), 'utf8').trim().split('\n') : [];

test('runs deps first and a shared dep once', async () => {
  writeFakeTasks(tasksDir, [{ name: '00-a' }, { name: '01-b', deps: ['00-a'] }, { name: '02-c', deps: ['00-a'] }]);
  await runNames(['01-b', '02-c']);
  assert.equal(runs(), ['00-a', '01-b', '02-c']);
});

test('a second run redoes nothing', async () => {
  writeFakeTasks(tasksDir, [{ name: '00-a' }, { name: '01-b', deps: ['00-a'] }]);
  await runNames(['01-b']);
  const second = await runNames(['b']);
  assert.equal(runs(), ['00-a', '01-b']);
  assert.equal(second.upToDate, ['00-a', '01-b']);
});

test('--force reruns the named task only', async () => {
  writeFakeTasks(tasksDir, [{ name: '00-a' }, { name: '01-b', deps: ['00-a'] }]);
  await runNames(['01-b']);
  await runNames(['01-b'], { force: true });
  assert.equal(runs(), ['00-a', '01-b', '01-b']);
});

test('a changed input reruns the task and its dependents see the new output', async () => {
  writeFakeTasks(tasksDir, [
    { name: '00-a', input: 'FAKE_INPUT', run: "await fs.writeFile(out, 'v=' + (process.env.FAKE_INPUT ?? ''));" },
    { name: '01-b', deps: ['00-a'] },
  ]);
  await runNames(['01-b']);
  process.env.FAKE_INPUT = 'changed';
  try {
    await runNames(['01-b']);
  } finally {
    delete process.env.FAKE_INPUT;
  }
  assert.equal(runs(), ['00-a', '01-b', '00-a', '01-b']);
});

test('a dep rerun that makes the same output leaves dependents up to date', async () => {
  writeFakeTasks(tasksDir, [{ name: '00-a' }, { name: '01-b', deps: ['00-a'] }]);
  await runNames(['01-b']);
  await runNames(['01-b', '00-a'], { force: true });
  assert.equal(runs(), ['00-a', '01-b', '00-a', '01-b']);
  await runNames(['00-a'], { force: true });
  await runNames(['01-b']);
  assert.equal(runs(), ['00-a', '01-b', '00-a', '01-b', '00-a']);
});

test('a deleted or modified output makes the task stale', async () => {
  writeFakeTasks(tasksDir, [{ name: '00-a' }]);
  await runNames(['00-a']);
  appendFileSync(join(images, '00-a.out'), 'tampered');
  const s = taskStatus(await (await open()).load('00-a'), plan());
  assert.is(s.status.state, 'stale');
  await runNames(['00-a']);
  assert.equal(runs(), ['00-a', '00-a']);
});

test('a failing task is not recorded and its dependents do not run', async () => {
  writeFakeTasks(tasksDir, [
    { name: '00-a', run: "throw new Error('boom');" },
    { name: '01-b', deps: ['00-a'] },
  ]);
  try {
    await runNames(['01-b']);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, 'boom');
  }
  assert.equal(runs(), ['00-a']);
  assert.not.ok(existsSync(makePaths(images).taskState('00-a')));
});

test('--dry-run records nothing and writes nothing', async () => {
  writeFakeTasks(tasksDir, [
    { name: '00-a', run: 'if (!ctx.dryRun) await fs.writeFile(out, "x"); await ctx.$`echo hi`;' },
  ]);
  const lines: string[] = [];
  await runNames(['00-a'], {
    dryRun: true,
    reporter: createReporter({ verbose: false, interactive: false, write: (t) => lines.push(t) }),
  });
  assert.not.ok(existsSync(makePaths(images).taskState('00-a')));
  assert.not.ok(existsSync(join(images, '00-a.out')));
  assert.ok(lines.includes('$ echo hi\n'), 'the command is printed, not run');
});

test('a run killed with -9 midway is never recorded as done, and the next run redoes it', async () => {
  writeFakeTasks(tasksDir, [
    { name: '00-a' },
    {
      name: '01-slow',
      deps: ['00-a'],
      run:
        "await fs.writeFile(out, 'half'); await fs.writeFile(join(paths.root, " +
        "'started'), ''); await new Promise((r) => setTimeout(r, 60000));",
    },
  ]);
  // First a finished run, so that a stale record would exist if the runner did not forget it.
  writeFileSync(join(images, 'runs.log'), '');
  const script = fileURLToPath(new URL('../helpers/run-fake.js', import.meta.url));
  const child = spawn(process.execPath, [script, tasksDir, images, '01-slow'], { stdio: 'ignore' });
  try {
    const started = join(images, 'started');
    for (let i = 0; i < 200 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(started), 'the slow task started');
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  const paths = makePaths(images);
  assert.ok(existsSync(paths.taskState('00-a')), 'the finished dep is recorded');
  assert.not.ok(existsSync(paths.taskState('01-slow')), 'the killed task is not');
  const s = taskStatus(await (await open()).load('01-slow'), plan());
  assert.is(s.status.state, 'never-run');
});

test(
  'without a TTY the reporter prints plain lines: no ' + 'spinner, no escape codes, details only with --verbose',
  async () => {
    const lines: string[] = [];
    const r = createReporter({ verbose: false, interactive: false, write: (t) => lines.push(t) });
    await r.start('00-a', 'a title');
    r.note('00-a', 'a note');
    r.detail('00-a', 'a detail');
    r.done('00-a', 'done');
    r.failed('01-b', 'failed');
    assert.equal(lines, ['▶ 00-a: a title\n', '  00-a: a note\n', '✔ 00-a: done\n', '✖ 01-b: failed\n']);
    const verbose: string[] = [];
    createReporter({ verbose: true, interactive: false, write: (t) => verbose.push(t) }).detail('00-a', 'a detail');
    assert.equal(verbose, ['  00-a: a detail\n']);
  },
);

test('a run of a name that is not a task, step or download is a usage error that names the nearest', async () => {
  writeFakeTasks(tasksDir, [{ name: '00-alpha' }]);
  try {
    await runNames(['alpah']);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, 'did you mean 00-alpha');
  }
});

test.run();
