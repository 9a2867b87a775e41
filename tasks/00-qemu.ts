// Chapter 1, "QEMU version" — in the macOS edition only, and there only in its earlier text,
// which read QEMU_VERSION to find the UEFI firmware under Homebrew's versioned Cellar path:
//   QEMU_VERSION=$(qemu-system-aarch64 --version | head -n 1 | sed "s/^QEMU emulator version //")
// (The Linux edition names /usr/share/qemu/OVMF.fd, and the macOS text now names
// /opt/homebrew/share/qemu/edk2-aarch64-code.fd, directly.)
// kubenet runs the same --version, then finds the firmware the durable way (QEMU's firmware
// descriptors, Homebrew's prefix, distro paths), tries the accelerator for real (kvm or hvf only
// when the firmware starts under it), and records it all in images/qemu.json for every later step.
import { task, which } from 'kubenet';

export default task({
  name: '00-qemu',
  title: 'QEMU, its version, the UEFI firmware and the accelerator',
  steps: [
    {
      step: 1,
      name: 'qemu-version',
      title: 'QEMU version',
      summary: 'find qemu-system-<arch>, its version, the firmware and the accelerator',
      onlyIn: {
        edition: 'macos',
        otherwise: 'the Linux edition names its firmware, /usr/share/qemu/OVMF.fd, and has no QEMU_VERSION step',
        elsewhere: 'kubenet runs it on every host, to find QEMU, the firmware and the accelerator',
      },
      async make({ $, qemu, dryRun, findHost, note, detail }) {
        const version = await $`${qemu} --version`.quiet();
        if (dryRun) return;
        const QEMU_VERSION = version.stdout.split('\n', 1)[0]!.replace(/^QEMU emulator version /, '');
        note(`QEMU_VERSION=${QEMU_VERSION}`);
        const { firmware, accel } = await findHost();
        note(`firmware: ${firmware.code} — ${firmware.why}`);
        note(`${accel.probe?.verdict === 'unusable' ? 'warning: ' : ''}accelerator: ${accel.accel} — ${accel.why}`);
        if (accel.probe)
          detail(`accelerator probe: accel=${accel.probe.accel} ${accel.probe.verdict} after ${accel.probe.ms} ms`);
      },
    },
  ],
  // Stale when the QEMU binaries change (an upgrade replaces them) or a setting that picks
  // among them does.
  inputs: ({ settings, arch }) => ({
    values: {
      arch,
      accel: settings.accel ?? 'auto',
      firmware: settings.firmware ?? 'auto',
      accelProbe: 'firmware-boot',
    }, // facts from before the probe are redone
    files: [which(`qemu-system-${arch}`) ?? 'qemu-system-missing', which('qemu-img') ?? 'qemu-img-missing'],
  }),
  outputs: ({ paths }) => [paths.facts],
});
