// `kubenet ssh [VM] [-- command…]`: log in to a VM with the right key, user and port.
import { spawn } from 'node:child_process';
import { ExitCode, KubenetError } from '../../errors.js';
import { sshArgv } from '../../ssh/ssh-target.js';
import type { CommandInput } from '../command-input.js';

export async function ssh({ line, paths, settings }: CommandInput): Promise<number> {
  const [word = 'ubuntu0', ...extra] = line.words;
  // A VM of the cluster (chapter 2), by name or id, is reached on the bridge at its own address.
  const { findVm, topology } = await import('../../cluster/topology.js');
  const member = word === 'ubuntu0' ? undefined : findVm(topology(settings.cluster), word);
  const vm = member?.name ?? word;
  const command = [...extra, ...line.rest];
  const { vmStatus } = await import('../../vm/vm-status.js');
  const status = await vmStatus(paths, vm);
  if (!status.running) {
    throw new KubenetError(`${vm} is not running`, { code: ExitCode.vm, hint: vm === 'ubuntu0' ? 'start it in another terminal: kubenet run 03-cloud-image' : `start it first: kubenet run 30-cluster (or kubenet run vm-launch --vm ${vm})` });
  }
  const args = sshArgv({ paths, vm, hostname: vm, ...(member ? { address: member.ip } : {}) }, command);
  if (settings.verbose) process.stdout.write(`ssh ${args.join(' ')}\n`);
  const child = spawn('ssh', args, { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', (cause) => reject(new KubenetError('cannot run ssh', { code: ExitCode.host, cause, hint: 'install OpenSSH: sudo apt-get install openssh-client' })));
    child.once('exit', (code) => resolve(code ?? ExitCode.failure));
  });
}
