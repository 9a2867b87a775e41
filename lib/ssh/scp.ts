// scp's argv to copy files into a VM's home folder (the guide's `scp FILE… ubuntu@VM:~`), logged in
// as `kubenet ssh` is: the same key, known_hosts and host key alias (ssh-target.ts).
import { sshOptions, type SshOptions, type SshTarget } from './ssh-target.js';

export function scpArgv(target: SshTarget, files: readonly string[], options: SshOptions = {}): string[] {
  return [
    '-i',
    target.key,
    '-P',
    String(target.port),
    ...sshOptions(target, options),
    ...files,
    `ubuntu@${target.host}:~`,
  ];
}
