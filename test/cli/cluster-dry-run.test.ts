// `kubenet run 30-cluster --dry-run` from an empty folder: every command the cluster would run,
// the root ones under their reason, and nothing made.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { kubenet } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('kubenet run 30-cluster --dry-run');
let dir: ReturnType<typeof tempDir>;
test.before(() => {
  dir = tempDir('kubenet-cluster-dry-');
});
test.after(() => dir.remove());

test('prints the images, the network under its reasons and the seven boots; generates one key; makes nothing', () => {
  const images = join(dir.path, 'images');
  const r = kubenet(['run', '30-cluster', '--dry-run', '--arch', 'aarch64', '--images', images], { cwd: dir.path, env: { HOME: join(dir.path, 'home') } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.split('\n').filter((l) => l.includes('ssh-keygen')).length, 1, 'one key for every seed');
  assert.match(r.stdout, 'as root — the bridge kubr0 joins the VMs and the host, which is 192.168.1.1 on it:\n    sudo ip link add kubr0 type bridge');
  assert.match(r.stdout, 'sudo dnsmasq --conf-file=network/dnsmasq.conf');
  assert.is(r.stdout.split('\n').filter((l) => l.startsWith('$ sudo qemu-system-aarch64')).length, 7);
  assert.ok(!existsSync(images) || readdirSync(images).every((f) => f === '.kubenet'), `nothing made: ${existsSync(images) ? readdirSync(images).join(', ') : ''}`);
});

test.run();
