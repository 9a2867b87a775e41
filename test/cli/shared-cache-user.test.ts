// The shared cache as an unprivileged learner meets it (issue 19 §1): their own download imported
// into one project, the same image taken by a second project from the cache — then a tutorial step
// changes their file (qemu-img resize, truncate). Neither project's image may change with it.
// Run as a user of the test's own (a uid no one else has, dropped to with setpriv), with the
// default cache under their HOME.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('the shared cache, as a learner');
const name = 'jammy-server-cloudimg-amd64.img';
const body = Buffer.alloc(300_000, 5);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const uid = 61_000 + (process.pid % 1_000); // a user of this test's own
const asLearner = ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'];
const canBecomeLearner = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
let dir: ReturnType<typeof tempDir>;
let mirror: FaultServer;

test.before(async () => {
  dir = tempDir('kubenet-learner-');
  mirror = await startFaultServer();
  publish(mirror, 'https://cloud-images.ubuntu.com/jammy/current/', name, body);
});
test.after(async () => {
  await mirror.close();
  dir.remove();
});

const home = () => join(dir.path, 'home');
const learner = (args: string[]) =>
  kubenetAsync([...args, '--arch', 'x86_64', '--mirror', mirror.url], {
    wrapper: asLearner,
    timeoutMs: 60_000,
    env: { HOME: home(), KUBENET_CACHE: join(home(), '.cache', 'kubenet', 'downloads') },
  });

testWhen(
  test,
  canBecomeLearner,
  'needs root (to become a user of its own) and setpriv (util-linux)',
  "the learner's own file, imported, then changed by them: no project's image changes with it",
  async () => {
    const downloads = join(home(), 'Downloads');
    mkdirSync(downloads, { recursive: true });
    const mine = join(downloads, name);
    writeFileSync(mine, body, { mode: 0o644 });
    spawnSync('chown', ['-R', `${uid}:${uid}`, dir.path]);
    const imported = await learner(['import', mine, '--images', join(home(), 'a', 'images')]);
    assert.is(imported.code, 0, imported.stderr + imported.stdout);
    const shared = await learner(['prefetch', 'cloud-img', '--images', join(home(), 'b', 'images')]);
    assert.is(shared.code, 0, shared.stderr + shared.stdout);
    assert.match(shared.stdout, 'shared');
    assert.is(statSync(mine).nlink, 1, 'their file has no other name: not in images/, not in the cache');
    // The tutorial's next step, by the learner on their own file: it grows by a megabyte.
    const resized = spawnSync(asLearner[0]!, [...asLearner.slice(1), 'truncate', '-s', '+1M', mine], {
      encoding: 'utf8',
    });
    assert.is(resized.status, 0, resized.stderr);
    for (const project of ['a', 'b'])
      assert.is(
        sha(readFileSync(join(home(), project, 'images', name))),
        sha(body),
        `project ${project}'s image is what was verified`,
      );
    const rerun = await learner(['prefetch', 'cloud-img', '--images', join(home(), 'b', 'images')]);
    assert.is(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, 'cached');
  },
);

test.run();
