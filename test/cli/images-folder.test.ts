// An images folder kubenet cannot use is one clear error, up front: exit 10, what is wrong and
// what to do — never "unexpected error" with a stack trace from deep inside a task.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { kubenet, binPath } from '../helpers/cli.js';
import { spawnSync } from 'node:child_process';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('cli: an images folder kubenet cannot use');
let dir: ReturnType<typeof tempDir>;

test.before.each(() => {
  dir = tempDir('kubenet-cli-images-');
  chmodSync(dir.path, 0o755);
});
test.after.each(() => dir.remove());

function assertClear(r: { code: number | null; stderr: string }, message: string): void {
  assert.is(r.code, 10, r.stderr);
  assert.match(r.stderr, message);
  assert.match(r.stderr, '→ ');
  assert.not.match(r.stderr, 'unexpected error');
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
}

const cases: [string, string[]][] = [
  ['run', ['run', '00-qemu']],
  ['run --dry-run', ['run', '03-cloud-image', '--dry-run']],
  ['prefetch', ['prefetch', '--offline']],
];
for (const [what, argv] of cases) {
  test(`${what}: an images path that is a file`, () => {
    const file = join(dir.path, 'images');
    writeFileSync(file, 'not a folder');
    assertClear(
      kubenet([...argv, '--arch', 'aarch64', '--images', file]),
      `the images folder ${file} is a file, not a folder`,
    );
  });
}

test('run: an images path below a file', () => {
  writeFileSync(join(dir.path, 'file'), '');
  const below = join(dir.path, 'file', 'images');
  assertClear(
    kubenet(['run', '00-qemu', '--images', below]),
    `the images folder ${below} cannot be made: a file stands where one of its parent folders should be`,
  );
});

// As root every folder is writable: the check runs as an unprivileged user there (setpriv).
const asUser = process.getuid?.() === 0 ? which('setpriv') : true;
testWhen(
  test,
  asUser,
  'running as root without setpriv (apt-get install util-linux)',
  'run: a read-only images folder',
  () => {
    const images = join(dir.path, 'images');
    mkdirSync(images);
    chmodSync(images, 0o555);
    const argv = [binPath, 'run', '00-qemu', '--arch', 'aarch64', '--images', images];
    const r =
      process.getuid?.() === 0
        ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...argv], {
            encoding: 'utf8',
            env: { ...process.env, CI: 'true', HOME: dir.path },
            timeout: 60_000,
          })
        : spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 });
    assertClear({ code: r.status, stderr: r.stderr }, `the images folder ${images} is not writable by this user`);
    assert.equal(readdirSync(images), []);
  },
);

test.run();
