// Hosts like the project's own machines: /dev/kvm is there but served by kvm_pvm, a paravirtual
// KVM that runs only PVM-aware guest kernels, so UEFI firmware dies under accel=kvm with "KVM
// internal error … emulation failure" and QEMU waits with the VM stopped. Read from the kernel's
// module list, not from kubenet's own probe, so that tests of the probe do not trust the probe.
import { existsSync } from 'node:fs';

export const kvmPvmHost = (): boolean =>
  process.platform === 'linux' &&
  process.arch === 'x64' &&
  existsSync('/dev/kvm') &&
  existsSync('/sys/module/kvm_pvm') &&
  !existsSync('/sys/module/kvm_intel') &&
  !existsSync('/sys/module/kvm_amd');

export const needsKvmPvm =
  'needs an x86_64 host whose /dev/kvm is served by kvm_pvm (/sys/module/kvm_pvm, no kvm_intel/kvm_amd), where OVMF fails under accel=kvm';
