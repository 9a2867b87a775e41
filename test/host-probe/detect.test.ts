// One view of the host: doctor checks what 00-qemu records, because both read inspectHost.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { gatherHost } from '../../lib/doctor/gather.js';
import { detectFacts, inspectHost } from '../../lib/host-probe/detect.js';
import { detectProfile } from '../../lib/host/profile.js';
import { which } from '../../lib/host/which.js';
import { makePaths } from '../../lib/paths.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('inspectHost');
const hasQemu = which('qemu-system-x86_64') && which('qemu-system-aarch64') && which('qemu-img');
const why = 'QEMU is not installed (apt-get install qemu-system-arm qemu-system-x86 qemu-utils ovmf qemu-efi-aarch64)';

for (const arch of ['x86_64', 'aarch64'] as const) {
  testWhen(
    test,
    hasQemu,
    why,
    `doctor and 00-qemu see the same ${arch} host: binaries, firmware, accelerator`,
    async () => {
      const dir = tempDir();
      try {
        const profile = detectProfile(arch);
        const facts = await detectFacts({ profile });
        const doctor = await gatherHost({ profile, paths: makePaths(join(dir.path, 'images')), pending: [] });
        assert.equal([doctor.tools.qemu, doctor.tools['qemu-img']], [facts.qemu, facts.qemuImg]);
        assert.equal(doctor.firmware, facts.firmware);
        assert.equal(doctor.accel.accel, facts.accel.accel);
        assert.is(doctor.accel.why, facts.accel.why);
      } finally {
        dir.remove();
      }
    },
  );
}

test('a host without QEMU is described, not thrown about; the facts for a run are an error', async () => {
  const profile = detectProfile('x86_64');
  const env = { PATH: '/nonexistent', HOME: '/nonexistent' };
  const host = await inspectHost({ profile, env });
  assert.is(host.qemu, undefined);
  assert.is(host.versionOutput, undefined);
  try {
    await detectFacts({ profile, env });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, 'qemu-system-x86_64 and qemu-img not found on PATH');
  }
});

test.run();
