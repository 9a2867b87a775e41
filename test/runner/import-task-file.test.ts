// A user's own tasks: TypeScript files in ./tasks (or --tasks DIR) that `import … from 'kubenet'`,
// loaded beside the built-in ones, listed, run, and refused clearly when they clash.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenet as run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('user tasks');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-user-tasks-');
  mkdirSync(join(dir.path, 'tasks'));
});
test.after.each(() => dir.remove());

// Compiled task files are cached under XDG_CACHE_HOME: a folder of the test's own.
const kubenet = (args: string[], options: { cwd: string }) =>
  run(args, { ...options, env: { XDG_CACHE_HOME: join(dir.path, 'cache') } });
const write = (name: string, text: string) => writeFileSync(join(dir.path, 'tasks', name), text);
const hello = `import { task } from 'kubenet';
import type { TaskContext } from 'kubenet';
const greet = (ctx: TaskContext, who: string): void => ctx.note(\`hello, \${who}\`);
export default task({
  name: '05-hello',
  title: 'Say hello',
  async run(ctx) {
    greet(ctx, 'kubenet');
    await ctx.$\`touch hello.txt\`;
  },
});
`;

test('a TypeScript task in ./tasks is listed and runs, in a folder with no node_modules', () => {
  write('05-hello.ts', hello);
  const list = kubenet(['list'], { cwd: dir.path });
  assert.is(list.code, 0, list.stderr);
  assert.match(list.stdout, /^05-hello {2}Say hello {2}\[.*tasks\/05-hello\.ts\]$/m);
  const r = kubenet(['run', '05-hello'], { cwd: dir.path });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'hello, kubenet');
  assert.match(kubenet(['run', 'hello', '--dry-run'], { cwd: dir.path }).stdout, '$ touch hello.txt');
  assert.ok(existsSync(join(dir.path, 'images', 'hello.txt')), 'the command ran in images/');
  assert.is(readdirSync(join(dir.path, 'cache', 'kubenet', 'compiled')).length, 1, 'compiled once, kept by content');
});

test('a run imports only the task files its plan needs: another task file is not even loaded', () => {
  write('05-hello.ts', hello);
  const marker = join(dir.path, 'imported');
  write(
    '06-marker.ts',
    `import { writeFileSync } from 'node:fs';
import { task } from 'kubenet';
writeFileSync(${JSON.stringify(marker)}, 'imported');
export default task({ name: '06-marker', title: 'Leaves a mark when imported', async run() {} });
`,
  );
  const r = kubenet(['run', '05-hello'], { cwd: dir.path });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(marker), '06-marker was imported for a run of 05-hello');
  assert.is(kubenet(['list'], { cwd: dir.path }).code, 0);
  assert.ok(existsSync(marker), 'list imports every task file (the marker works)');
});

test('--tasks DIR names another folder', () => {
  mkdirSync(join(dir.path, 'mine'));
  writeFileSync(join(dir.path, 'mine', '05-hello.ts'), hello);
  const r = kubenet(['run', '05-hello', '--tasks', 'mine'], { cwd: dir.path });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'hello, kubenet');
});

test("a task named like one of kubenet's is refused, naming both files", () => {
  write('03-cloud-image.ts', hello.replace("'05-hello'", "'03-cloud-image'"));
  const r = kubenet(['list'], { cwd: dir.path });
  assert.is(r.code, 3);
  assert.match(r.stderr, 'two task files are named 03-cloud-image');
  assert.match(r.stderr, "one of kubenet's own tasks");
});

test('a task file that does not load says which file and why', () => {
  write('06-broken.ts', "import { task } from 'kubenet';\nexport default task({ name: '06-broken', title: 'x' });\n");
  const r = kubenet(['run', '06-broken'], { cwd: dir.path });
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /06-broken\.ts/);
  assert.match(r.stderr, 'a task needs steps (or run)');
});

test('a task file named unlike its task is refused', () => {
  write('07-a.ts', hello.replace("'05-hello'", "'07-b'"));
  const r = kubenet(['run', '07-a'], { cwd: dir.path });
  assert.is(r.code, 3);
  assert.match(r.stderr, 'declares the task 07-b');
});

test.run();
