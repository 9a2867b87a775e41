// A user's own task, misbehaving: the task API's file operations stay inside images/ (a name that
// climbs out is refused by name, before anything is touched), and a task that throws is reported
// as its file and line, not as kubenet's "unexpected error" with a raw stack trace. Fast: the tasks
// have no deps and boot nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim, type Victim } from '../helpers/victim.js';

const test = suite("a user task's file operations and failures");
let dir: ReturnType<typeof tempDir>;
let victim: Victim;

test.before.each(() => {
  dir = tempDir('kubenet-user-api-');
  mkdirSync(join(dir.path, 'tasks'));
  victim = plantVictim(dir.path); // beside images/: ../victim.txt from inside it
});
test.after.each(() => dir.remove());

const taskFile = (name: string, body: string) =>
  writeFileSync(
    join(dir.path, 'tasks', `${name}.ts`),
    `import { task } from 'kubenet';

export default task({
  name: '${name}',
  title: 'a task of the user',
  deps: [],
  async run(ctx) {
${body}
  },
});
`,
  );
const run = (name: string) =>
  kubenetAsync(['run', name, '--images', join(dir.path, 'images')], {
    cwd: dir.path,
    timeoutMs: 60_000,
    env: { HOME: join(dir.path, 'home'), XDG_CACHE_HOME: join(dir.path, 'cache') },
  });

for (const [call, what] of [
  ["await ctx.removeFile('../victim.txt');", 'removeFile'],
  ["await ctx.writeFile('../victim.txt', 'overwritten');", 'writeFile'],
  ["await ctx.writeFile('network/../../victim.txt', 'overwritten');", 'writeFile through a folder'],
  [
    `await ctx.writeFile(${JSON.stringify('/tmp/kubenet-user-api-absolute')}, 'x');`,
    'writeFile of an absolute path elsewhere',
  ],
  ["ctx.note(String(await ctx.readFile('../victim.txt')));", 'readFile'],
] as const) {
  test(
    `${what} with a name outside images/ is refused (exit 2), ` +
      `naming the task and the name; nothing outside is touched`,
    async () => {
      taskFile('04-escape', `    ${call}`);
      const r = await run('04-escape');
      assert.is(r.code, 2, r.stderr + r.stdout);
      assert.match(
        r.stderr,
        /task 04-escape \(.*04-escape\.ts\) named the file ".*", which is not inside the images folder/,
      );
      assert.ok(victim.untouched(), 'the file outside images/ is unchanged');
      assert.ok(existsSync(victim.path), 'and still there');
      assert.not.match(r.stdout + r.stderr, 'precious content');
      assert.not.ok(existsSync('/tmp/kubenet-user-api-absolute'));
    },
  );
}

test('names inside images/ still work, also through a folder', async () => {
  taskFile(
    '04-inside',
    "    await ctx.writeFile('notes/a.txt', 'a');\n    ctx.note(`read back: ${await " +
      "ctx.readFile('notes/../notes/a.txt')}`);\n    await ctx.removeFile('notes/a.txt');",
  );
  const r = await run('04-inside');
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, 'read back: a');
  assert.not.ok(existsSync(join(dir.path, 'images', 'notes', 'a.txt')));
});

test('a throw inside a step names the task, its file and line — no raw stack trace', async () => {
  taskFile(
    '05-throws',
    "    const settings = JSON.parse('{}');\n    throw new TypeError(`no mirror in ${JSON.stringify(settings)}`);",
  );
  const r = await run('05-throws');
  assert.is(r.code, 1, r.stderr + r.stdout);
  assert.match(r.stderr, `task 05-throws failed at ${join(dir.path, 'tasks', '05-throws.ts')}:9:`);
  assert.match(r.stderr, 'no mirror in {}');
  assert.not.match(r.stderr, 'unexpected error');
  assert.not.match(r.stderr, /^\s+at /m);
});

test.run();
