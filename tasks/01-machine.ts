// Chapter 1, "A bare machine" to "UEFI": the guide's first QEMU commands. Nothing is there to
// boot yet — QEMU's monitor, then the firmware's own shell — so nothing is downloaded.
//   ${board},accel=${accel}  virt,accel=hvf in the guide's main text, q35,accel=kvm in its Linux
//                            edition, accel=tcg where there is no hypervisor
//   ${cpu}                   host; max under tcg
//   ${firmware}              -bios <the firmware 00-qemu found>, or its pflash drives
// Both editions wire the serial console by hand here (-serial vc); the Linux edition swaps it for
// -vga std only from the live CD on.
import { task } from 'kubenet';

export default task({
  name: '01-machine',
  title: 'A machine: bare, the hard way, then with UEFI firmware',
  deps: ['00-qemu'],
  steps: [
    {
      step: 2,
      name: 'bare-machine',
      title: 'A bare machine',
      summary: 'a machine with QEMU defaults and nothing to boot',
      vm: 'machine',
      boot: ({ $, qemu, board, accel, cpu }) => $`
        ${qemu} -machine ${board},accel=${accel} -cpu ${cpu}`,
    },
    {
      step: 3,
      name: 'hard-way',
      title: 'The hard way',
      summary: 'no defaults: the monitor and the serial console by hand',
      vm: 'machine',
      boot: ({ $, qemu, board, accel, cpu }) => $`
        ${qemu} -nodefaults -machine ${board},accel=${accel} -cpu ${cpu}
          -chardev vc,id=monitor -mon monitor -serial vc`,
    },
    {
      step: 4,
      name: 'uefi',
      title: 'UEFI',
      summary: 'UEFI firmware; with nothing to boot it stops in its shell',
      vm: 'machine',
      boot: ({ $, qemu, board, accel, cpu, firmware }) => $`
        ${qemu} -nodefaults -machine ${board},accel=${accel} -cpu ${cpu}
          -chardev vc,id=monitor -mon monitor -serial vc
          ${firmware}`,
    },
  ],
});
