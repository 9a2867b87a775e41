// What doctor knows about a host, gathered once (gather.ts) so every check is a pure function
// of it and tests can describe hosts that do not exist: no QEMU, an old QEMU, a full disk.
import type { AccelChoice, FirmwareChoice, NetMode, Profile } from '../host/types.js';

export type Tool = 'qemu' | 'qemu-img' | 'ssh' | 'ssh-keygen' | 'sudo' | 'cfssl' | 'cfssljson' | 'kubectl';

export interface HostDescription {
  profile: Profile;
  net: NetMode; // the network the VM steps will use
  tools: Partial<Record<Tool, string>>; // absolute paths of what is on PATH
  qemuVersionOutput?: string; // what `qemu-system-<arch> --version` printed; absent when it could not run
  firmware: FirmwareChoice | { error: string; hint?: string };
  accel: AccelChoice;
  kvmDevice?: 'usable' | 'no-access' | 'missing'; // Linux only
  kvmModule?: string; // Linux: the module behind /dev/kvm (kvm_intel, kvm_amd, kvm_pvm)
  kubectlWorks?: boolean; // kubectl wrote a kubeconfig (set-credentials) in a temp folder; absent when there is none
  isRoot: boolean;
  sudoWithoutPassword?: boolean; // `sudo -n true` succeeded (asked only when vmnet needs sudo)
  disk: { path: string; freeBytes?: number; error?: string };
  pending: { file: string; bytes: number }[]; // downloads not yet in images/, estimated sizes
}
