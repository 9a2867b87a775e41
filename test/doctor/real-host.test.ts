// doctor on this machine (the CI host: QEMU 7.2 installed, with or without /dev/kvm): nothing
// fails, the accelerator is at worst a warning, and the CLI exits 0.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { gatherHost } from '../../lib/doctor/gather.js';
import { runChecks } from '../../lib/doctor/run-checks.js';
import { detectProfile } from '../../lib/host/profile.js';
import { which } from '../../lib/host/which.js';
import { makePaths } from '../../lib/paths.js';
import { pendingDownloads } from '../../lib/doctor/download-sizes.js';
import { chapterDownloads } from '../helpers/chapter-tasks.js';
import { kubenet } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { kvmPvmHost, kvmTruth, needsKvmPvm } from '../helpers/kvm-host.js';
import { skipUnless, testOnHost } from '../helpers/skip.js';

const test = suite('doctor: the real host');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir();
});
test.after.each(() => dir.remove());

const hasQemu = Boolean(which('qemu-system-aarch64') && which('qemu-system-x86_64') && which('qemu-img'));

for (const arch of ['aarch64', 'x86_64'] as const) {
  test(`this host passes for ${arch} guests (images/ not made yet)`, async () => {
    if (skipUnless(hasQemu, 'QEMU is not installed (apt-get install qemu-system-arm qemu-system-x86 qemu-utils)'))
      return;
    const paths = makePaths(join(dir.path, 'not', 'yet', 'images'));
    const host = await gatherHost({
      profile: detectProfile(arch),
      paths,
      pending: pendingDownloads(paths, arch, chapterDownloads),
    });
    assert.match(host.qemuVersionOutput ?? '', /^QEMU emulator version \d+\.\d+/);
    assert.ok(host.disk.freeBytes !== undefined && host.disk.freeBytes > 0, 'measured the nearest existing folder');
    assert.is(host.pending.length, 2, 'nothing downloaded into an empty images folder');
    const results = runChecks(host);
    assert.equal(
      results.filter((r) => r.level === 'fail'),
      [],
    );
    const accel = results.find((r) => r.check === 'accelerator')!;
    assert.ok(accel.level === 'ok' || accel.level === 'warn');
    if (host.accel.accel === 'tcg') assert.is(accel.level, 'warn');
  });
}

testOnHost(
  test,
  kvmPvmHost(),
  needsKvmPvm,
  "on a kvm_pvm host the accelerator is tcg: kvm failed its probe, in QEMU's words",
  async () => {
    const truth = kvmTruth();
    assert.ok(truth && !truth.works, 'QEMU itself cannot run OVMF under kvm here');
    const host = await gatherHost({
      profile: detectProfile('x86_64'),
      paths: makePaths(join(dir.path, 'images')),
      pending: [],
    });
    assert.is(host.kvmModule, 'kvm_pvm');
    assert.is(host.accel.accel, 'tcg');
    assert.is(host.accel.probe?.verdict, 'unusable');
    assert.match(host.accel.probe?.reason ?? '', `"${truth.said}"`);
    const accel = runChecks(host).find((r) => r.check === 'accelerator')!;
    assert.is(accel.level, 'warn');
    assert.match(accel.fix ?? '', 'kvm_pvm');
  },
);

test('kubenet doctor exits 0 here and prints a line per check', () => {
  if (skipUnless(hasQemu, 'QEMU is not installed (apt-get install qemu-system-arm qemu-system-x86 qemu-utils)')) return;
  const r = kubenet(['doctor', '--images', join(dir.path, 'images')]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  for (const check of ['qemu', 'qemu-img', 'firmware', 'accelerator', 'disk', 'ssh', 'sudo'])
    assert.match(r.stdout, new RegExp(`^(ok|warn)  +${check} `, 'm'));
});

test('kubenet doctor exits 10 when QEMU is not on PATH', () => {
  const r = kubenet(['doctor', '--images', join(dir.path, 'images')], { env: { PATH: dir.path } });
  assert.is(r.code, 10, r.stdout + r.stderr);
  assert.match(r.stdout, /^fail {2}qemu +qemu-system-\S+ not found on PATH/m);
});

test.run();
