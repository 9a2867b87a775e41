// Guide step 1: find QEMU, its version, the UEFI firmware and the accelerator (kvm or hvf only
// when the firmware really starts under it), and record them in images/qemu.json for every
// later task.
import { qemuBinaries, qemuSystem } from '../lib/host/profile.js';
import { defineTask } from '../lib/task.js';

export default defineTask({
  name: '00-qemu',
  title: 'Find QEMU, its version, the UEFI firmware and the accelerator',
  guide: 'step 1',
  deps: [],
  inputs: ({ profile, opts }) => {
    const { qemu, qemuImg } = qemuBinaries(profile);
    return {
      values: {
        arch: profile.guestArch, accel: opts.accel ?? 'auto', firmware: opts.firmware ?? 'auto', qemu: qemu ?? 'missing', qemuImg: qemuImg ?? 'missing',
        accelProbe: 'firmware-boot', // facts recorded before the probe existed are redone
      },
      // Stale when the QEMU binary changes (an upgrade replaces the file).
      files: [qemu, qemuImg].filter((f): f is string => Boolean(f)),
    };
  },
  outputs: ({ paths }) => [paths.facts],
  async run(ctx) {
    const { profile, opts, paths } = ctx;
    const exe = qemuSystem(profile.guestArch);
    ctx.show(`QEMU_VERSION=$(${exe} --version | head -n 1 | sed "s/^QEMU emulator version //")`);
    const { detectFacts } = await import('../lib/host/detect.js');
    const facts = await detectFacts({ profile, accel: opts.accel, firmware: opts.firmware });
    ctx.note(`QEMU_VERSION=${facts.version} (${facts.qemu})`);
    ctx.note(`firmware: ${facts.firmware.code} — ${facts.firmware.why}`);
    const { accel } = facts;
    ctx.note(`${accel.probe?.verdict === 'unusable' ? 'warning: ' : ''}accelerator: ${accel.accel} — ${accel.why}`);
    if (accel.probe) ctx.detail(`accelerator probe: accel=${accel.probe.accel} ${accel.probe.verdict} after ${accel.probe.ms} ms`);
    const { writeFileAtomic } = await import('../lib/fs/atomic-write.js');
    if (!ctx.dryRun) await writeFileAtomic(paths.facts, `${JSON.stringify(facts, null, 2)}\n`);
  },
});
