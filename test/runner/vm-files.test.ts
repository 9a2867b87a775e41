// Which files are one VM's, read from kubenet's own task files: what `kubenet delete VM` removes.
// A VM's disk and seed and its vm/ folder; never a download, the network's files, or a file
// another VM's steps make.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makePaths } from '../../lib/paths.js';
import { filesOfVm, vmsOfTasks } from '../../lib/runner/vm-files.js';
import type { Settings } from '../../lib/settings/settings.js';
import { chapterTasks } from '../helpers/chapter-tasks.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('filesOfVm');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-vm-files-');
});
test.after.each(() => dir.remove());

const everything = [
  'ubuntu0.img',
  'ubuntu.img',
  'cidata.iso',
  'cloud-init/user-data',
  'cloud-init/meta-data',
  'cloud-init/user-data.gateway',
  'jammy-server-cloudimg-amd64.img',
  'tapup.sh',
  'network/dnsmasq.conf',
  'network/hosts',
  'gateway/disk.img',
  'gateway/cidata.iso',
  'control0/disk.img',
  'vm/ubuntu0/serial.log',
  'vm/gateway/serial.log',
  'vm/live-cd/serial.log',
  'vm/machine/serial.log',
];

function setUp() {
  const paths = makePaths(join(dir.path, 'images'));
  for (const f of everything) {
    mkdirSync(dirname(join(paths.root, f)), { recursive: true });
    writeFileSync(join(paths.root, f), '');
  }
  const settings = { images: paths.root, offline: true, verbose: false, sources: {} } as Settings;
  return { paths, plan: { settings, paths, arch: 'x86_64' as const } };
}

const rel = (paths: { root: string }, files: string[]) => files.map((f) => f.slice(paths.root.length + 1)).sort();

test("every VM the tasks boot: chapter 1's and the cluster's seven", () => {
  const { plan } = setUp();
  assert.equal(vmsOfTasks(chapterTasks, plan).sort(), [
    'control0',
    'control1',
    'control2',
    'gateway',
    'live-cd',
    'machine',
    'ubuntu0',
    'worker0',
    'worker1',
    'worker2',
  ]);
});

test('ubuntu0: its overlay and seed, and its vm/ folder — not the cloud image, not the cluster templates', () => {
  const { paths, plan } = setUp();
  const f = filesOfVm(chapterTasks, plan, paths, 'ubuntu0');
  assert.equal(rel(paths, f.files), [
    'cidata.iso',
    'cloud-init/meta-data',
    'cloud-init/user-data',
    'ubuntu0.img',
    'vm/ubuntu0',
  ]);
  assert.equal(f.tasks, ['03-cloud-image']);
});

test('gateway: its folder and vm/ folder — not the network files of the step that tests the network with it', () => {
  const { paths, plan } = setUp();
  const f = filesOfVm(chapterTasks, plan, paths, 'gateway');
  assert.equal(rel(paths, f.files), ['gateway', 'vm/gateway']);
  assert.equal(
    f.tasks,
    ['20-vm-images', '44-deploy-auth'],
    'its disk is made again, and what chapter 4 delivered to it delivered again',
  );
});

test('live-cd: the install disk; machine: its vm/ folder alone', () => {
  const { paths, plan } = setUp();
  assert.equal(rel(paths, filesOfVm(chapterTasks, plan, paths, 'live-cd').files), ['ubuntu.img', 'vm/live-cd']);
  assert.equal(rel(paths, filesOfVm(chapterTasks, plan, paths, 'machine').files), ['vm/machine']);
});

test.run();
