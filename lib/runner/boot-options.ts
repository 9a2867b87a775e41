// What a run says about its boots (kubenet run's --headless, --until, --timeout, --detach,
// --ssh-port), and what a step's make tells them: the VMs it wrote a seed with kubenet's key.
import type { ConsoleWait } from '../kinds/words.js';

export interface BootOptions {
  headless: boolean;
  until?: ConsoleWait; // --until: a regular expression the serial console must match, or `ssh`
  timeoutMs: number;
  detach?: boolean; // return once the VM is up and leave it running (implies headless)
  sshPort?: number; // --ssh-port: the host port forwarded to the guest's ssh (else the VM's own, kept)
}

// A step that wrote its VM a seed with kubenet's key (its hostname): that VM runs an sshd
// `kubenet ssh` and `--until ssh` can log in to.
export interface Seeded {
  hostname: string;
}
