// `kubenet run 30-cluster --dry-run` from an empty folder: every command the cluster would run,
// the root ones under their reason — with sudo where kubenet would use it (an ordinary user) and
// without where it would not (root) — and nothing made.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { kubenet, kubenetAsync } from '../helpers/cli.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('kubenet run 30-cluster --dry-run');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-cluster-dry-');
});
test.after.each(() => dir.remove());

const root = process.geteuid?.() === 0;

test(
  `prints the images, the network under its reasons and the seven boots ` +
    `(${root ? 'as root: no sudo' : 'with sudo'}); generates one key; makes nothing`,
  () => {
    const images = join(dir.path, 'images');
    const r = kubenet(['run', '30-cluster', '--dry-run', '--arch', 'aarch64', '--images', images], {
      cwd: dir.path,
      env: { HOME: join(dir.path, 'home') },
    });
    assert.is(r.code, 0, r.stderr);
    const sudo = root ? '' : 'sudo ';
    assert.is(r.stdout.split('\n').filter((l) => l.includes('ssh-keygen')).length, 1, 'one key for every seed');
    assert.match(
      r.stdout,
      `as root — the bridge kubr0 joins the VMs and the host, which ` +
        `is 192.168.1.1 on it:\n    ${sudo}ip link add kubr0 type bridge`,
    );
    assert.match(r.stdout, `${sudo}dnsmasq --conf-file=network/dnsmasq.conf`);
    assert.is(r.stdout.split('\n').filter((l) => l === `$ ${sudo}qemu-system-aarch64 \\`).length, 7);
    if (root) assert.not.match(r.stdout, /\bsudo /, 'no sudo shown where kubenet, as root, does not use it');
    assert.ok(
      !existsSync(images) || readdirSync(images).every((f) => f === '.kubenet'),
      `nothing made: ${existsSync(images) ? readdirSync(images).join(', ') : ''}`,
    );
  },
);

testWhen(
  test,
  root && which('setpriv'),
  'needs root and setpriv to run kubenet as another user',
  'as an ordinary user the root commands show the sudo they run through',
  async () => {
    execFileSync('chown', ['65534:65534', dir.path]);
    const images = join(dir.path, 'images');
    const r = await kubenetAsync(['run', '30-cluster', '--dry-run', '--arch', 'aarch64', '--images', images], {
      cwd: dir.path,
      env: { HOME: join(dir.path, 'home') },
      wrapper: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'],
    });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, '    sudo ip link add kubr0 type bridge');
    assert.is(r.stdout.split('\n').filter((l) => l === '$ sudo qemu-system-aarch64 \\').length, 7);
  },
);

test.run();
