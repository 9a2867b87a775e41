// `Host` blocks for ssh's own configuration file, so that every tool that speaks ssh — ssh and scp
// themselves, rsync, VS Code Remote, Ansible — reaches a VM as `kubenet ssh` does: its address (or
// the forwarded port), user ubuntu, the key its seed trusts, and the VM's own known_hosts under
// the name its host keys are recorded by. `ssh -F FILE gateway`, or `Include FILE` in
// ~/.ssh/config; the guide's `ssh ubuntu@gateway` then works without a line in /etc/hosts.
import type { SshTarget } from './ssh-target.js';

// ssh_config takes a value with blanks in double quotes.
const quoted = (value: string) => (/[\s"]/.test(value) ? `"${value.replaceAll('"', '\\"')}"` : value);

export function sshConfigBlock(name: string, target: SshTarget): string {
  return [
    `Host ${name}`,
    `  HostName ${target.host}`,
    `  Port ${target.port}`,
    '  User ubuntu',
    `  IdentityFile ${quoted(target.key)}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${quoted(target.knownHosts)}`,
    `  HostKeyAlias ${target.alias}`,
    '  StrictHostKeyChecking accept-new',
    '  LogLevel ERROR',
    '',
  ].join('\n');
}

export function sshConfig(imagesRoot: string, blocks: readonly { name: string; target: SshTarget }[]): string {
  return [
    `# kubenet: the VMs of ${imagesRoot}. Use it with ssh -F FILE VM, or Include FILE in ~/.ssh/config.`,
    '# A reset VM has a new instance and host keys: print this again after one.',
    ...blocks.map((b) => sshConfigBlock(b.name, b.target)),
  ].join('\n');
}
