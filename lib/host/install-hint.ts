// The command that installs what is missing, for this OS.
import type { GuestArch, HostOs } from './types.js';

export function installHint(hostOs: HostOs, guestArch: GuestArch, what: 'qemu' | 'firmware'): string {
  if (hostOs === 'darwin') return 'brew install qemu';
  const system = guestArch === 'aarch64' ? 'qemu-system-arm' : 'qemu-system-x86';
  const firmware = guestArch === 'aarch64' ? 'qemu-efi-aarch64' : 'ovmf';
  if (what === 'firmware') return `sudo apt-get install ${firmware}   (Fedora: sudo dnf install edk2-${guestArch === 'aarch64' ? 'aarch64' : 'ovmf'})`;
  return `sudo apt-get install ${system} qemu-utils ${firmware}   (Fedora: sudo dnf install qemu-system-${guestArch === 'aarch64' ? 'aarch64' : 'x86'} qemu-img)`;
}
