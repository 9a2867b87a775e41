// ssh and ssh-keygen: the chapter boots without them; `kubenet ssh` and the seed's key need them.
import { ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

const installSsh = (host: HostDescription) =>
  host.profile.hostOs === 'darwin' ? 'macOS ships OpenSSH: check your PATH' : 'sudo apt-get install openssh-client';

export function checkSsh(host: HostDescription): CheckResult[] {
  const ssh = host.tools.ssh;
  const keygen = host.tools['ssh-keygen'];
  return [
    ssh ? ok('ssh', ssh) : warn('ssh', 'ssh not found on PATH: kubenet ssh cannot log in to the VM', installSsh(host)),
    keygen
      ? ok('ssh-keygen', keygen)
      : warn(
          'ssh-keygen',
          'ssh-keygen not found on PATH: 03-cloud-image cannot make a key when ~/.ssh has none',
          installSsh(host),
        ),
  ];
}
