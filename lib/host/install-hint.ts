// The command that installs what is missing, for this OS.
import type { GuestArch, HostOs } from './types.js';

export function installHint(hostOs: HostOs, guestArch: GuestArch, what: 'qemu' | 'firmware'): string {
  if (hostOs === 'darwin') return 'brew install qemu';
  const system = guestArch === 'aarch64' ? 'qemu-system-arm' : 'qemu-system-x86';
  const firmware = guestArch === 'aarch64' ? 'qemu-efi-aarch64' : 'ovmf';
  if (what === 'firmware')
    return (
      `sudo apt-get install ${firmware}   (Fedora: sudo dnf install ` +
      `edk2-${guestArch === 'aarch64' ? 'aarch64' : 'ovmf'})`
    );
  return (
    `sudo apt-get install ${system} qemu-utils ${firmware}   (Fedora: sudo dnf ` +
    `install qemu-system-${guestArch === 'aarch64' ? 'aarch64' : 'x86'} qemu-img)`
  );
}

// Chapter 4's tools, as each edition of the guide installs them (its chapter 0): Debian and
// Ubuntu's golang-cfssl (cfssl and cfssljson) and the Kubernetes apt repository's kubectl;
// Homebrew's cfssl and kubernetes-cli. (Debian 12's own kubernetes-client, 1.20, crashes in
// `kubectl config set-credentials`: see kubectlCrashed.)
export function authToolHint(hostOs: HostOs, exe: 'cfssl' | 'cfssljson' | 'kubectl'): string {
  if (hostOs === 'darwin') return exe === 'kubectl' ? 'brew install kubernetes-cli' : 'brew install cfssl';
  if (exe === 'kubectl')
    return (
      "sudo apt-get install kubectl, from the Kubernetes apt repository as the guide's chapter 0 sets it " +
      "up (pkgs.k8s.io); not Debian 12's kubernetes-client, whose kubectl 1.20 crashes writing kubeconfigs"
    );
  return 'sudo apt-get install golang-cfssl   (it has cfssl and cfssljson)';
}

// A kubectl that died of a Go panic: Debian 12's kubernetes-client (1.20, built with a Go newer
// than its libraries support) does so in every `kubectl config set-credentials`.
export const kubectlCrashed = (exe: string, stderr: string): boolean => exe === 'kubectl' && /^panic: /m.test(stderr);

export const isAuthTool = (exe: string): exe is 'cfssl' | 'cfssljson' | 'kubectl' =>
  exe === 'cfssl' || exe === 'cfssljson' || exe === 'kubectl';
