// A step done for several VMs: one VM's failure (a VM that is down when files are copied to it)
// does not keep the others from their turn; the step fails afterwards with that VM's own error, or
// one naming each when several failed. A bug in the task (not a KubenetError) stops it at once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import { Registry } from '../../lib/runner/registry.js';
import { runRequest } from '../../lib/runner/run-request.js';
import { normalizeSettings } from '../../lib/settings/settings.js';
import { rejection } from '../helpers/rejection.js';
import { silentReporter } from '../helpers/silent-reporter.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('runStep: a step done for several VMs');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir();
  mkdirSync(join(dir.path, 'tasks'));
  mkdirSync(join(dir.path, 'images'));
});
test.after.each(() => dir.remove());

const api = new URL('../../lib/index.js', import.meta.url).href; // kubenet's API, as a task file imports it

// VMs a, b, c; those named in `down` fail as a VM that does not answer would; `bug` throws a TypeError.
function writeTask(down: string[], bug = false) {
  writeFileSync(
    join(dir.path, 'tasks', '05-each.js'),
    `import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, KubenetError, task } from '${api}';
export default task({ name: '05-each', title: 'each VM', steps: [{ name: 'each', title: 'each', summary: 'each',
  vms: () => [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
  async make({ machine, paths }) {
    if (${JSON.stringify(down)}.includes(machine.name)) {
      if (${bug}) throw new TypeError('a bug');
      throw new KubenetError(machine.name + ' is down', { code: ExitCode.vm, hint: 'start ' + machine.name });
    }
    appendFileSync(join(paths.root, 'made.log'), machine.name + '\\n');
  } }] });
`,
  );
}

const run = async () => {
  const images = join(dir.path, 'images');
  return runRequest({
    graph: await Registry.open([{ dir: join(dir.path, 'tasks'), builtIn: false }]),
    settings: normalizeSettings({ images }),
    paths: makePaths(images),
    profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
    words: ['05-each'],
    dryRun: false,
    force: false,
    boot: { headless: true, timeoutMs: 60_000 },
    reporter: silentReporter,
    signal: new AbortController().signal,
  });
};
const made = () =>
  existsSync(join(dir.path, 'images', 'made.log'))
    ? readFileSync(join(dir.path, 'images', 'made.log'), 'utf8')
        .trim()
        .split('\n')
    : [];

test('one VM down: the others are done, then its own error (test: failed before — c was never done)', async () => {
  writeTask(['b']);
  const error = await rejection(run(), KubenetError);
  assert.equal(made(), ['a', 'c']);
  assert.is(error.message, 'b is down');
  assert.is(error.code, 30);
  assert.is(error.hint, 'start b');
});

test("several down: one error naming each, with its message and hint, and the first one's code", async () => {
  writeTask(['a', 'c']);
  const error = await rejection(run(), KubenetError);
  assert.equal(made(), ['b']);
  assert.is(error.message, '2 of 3 VMs failed: a, c');
  assert.is(error.code, 30);
  assert.is(error.details, 'a is down\n  → start a\nc is down\n  → start c');
});

test('a bug in the task stops the step at once, named as the task file and line that threw', async () => {
  writeTask(['a'], true);
  const error = await rejection(run(), KubenetError);
  assert.match(error.message, /^task 05-each failed at .*05-each\.js:\d+:\d+: a bug$/);
  assert.instance(error.cause, TypeError);
  assert.equal(made(), []);
});

test.run();
