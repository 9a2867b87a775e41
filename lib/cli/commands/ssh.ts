// `kubenet ssh [command…]`: log in to the cloud VM (ubuntu0) with the right key, user and port.
import { spawn } from 'node:child_process';
import { ExitCode, KubenetError } from '../../errors.js';
import { sshArgv } from '../../ssh/ssh-target.js';
import type { CommandInput } from '../main.js';

export async function ssh({ opts, paths }: CommandInput): Promise<number> {
  const { vmStatus } = await import('../../vm/index.js');
  const status = await vmStatus(paths, 'ubuntu0');
  if (!status.running) {
    throw new KubenetError('ubuntu0 is not running', { code: ExitCode.vm, hint: 'start it in another terminal: kubenet run 03-cloud-image' });
  }
  const args = sshArgv({ paths, vm: 'ubuntu0', hostname: 'ubuntu0' }, opts.names);
  if (opts.verbose || opts.dryRun) process.stdout.write(`ssh ${args.join(' ')}\n`);
  if (opts.dryRun) return ExitCode.ok;
  const child = spawn('ssh', args, { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', (cause) => reject(new KubenetError('cannot run ssh', { code: ExitCode.host, cause, hint: 'install OpenSSH: sudo apt-get install openssh-client' })));
    child.once('exit', (code) => resolve(code ?? ExitCode.failure));
  });
}
