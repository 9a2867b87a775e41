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
  cluster?: ClusterFacts; // Linux: what chapters 2–3 need
}

// What the cluster's network needs on a Linux host (chapters 2–3), looked at by doctor.
export interface ClusterFacts {
  mode: 'bridge' | 'root-free';
  subnet: string; // 192.168.1.0/24
  collisions: { dev: string; what: string }[]; // what on this host uses the subnet
  free?: string; // a /24 that is free here, as kubenet.yaml's network: writes it
  tools: Partial<Record<'ip' | 'iptables' | 'dnsmasq' | 'tmux', string>>;
  bridgeModule: 'loaded' | 'available' | 'missing';
  tun: 'present' | 'missing';
}
