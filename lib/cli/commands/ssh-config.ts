// `kubenet ssh-config [VM…]`: Host blocks for ssh's configuration (ssh/ssh-config.ts), for every
// VM kubenet can log in to, or those named: `kubenet ssh-config > kubenet.ssh; ssh -F kubenet.ssh
// gateway`. A VM that has not started yet gets the port it will have (ports are stable).
import { ExitCode, KubenetError } from '../../errors.js';
import type { CommandInput } from '../command-input.js';
import { namedVm, seededVms, unknownVm, vmSshTarget } from '../../ssh/vm-target.js';
import { sshConfig } from '../../ssh/ssh-config.js';

export async function sshConfigCommand({ line, paths, settings }: CommandInput): Promise<number> {
  const known = await seededVms(paths);
  const words = line.words.length ? line.words : known;
  if (words.length === 0) {
    throw new KubenetError(`no VM in ${paths.vms} has a seed with kubenet's key yet`, {
      code: ExitCode.usage,
      hint: 'kubenet run 03-cloud-image (or 20-vm-images for the cluster) writes one',
    });
  }
  const blocks = [];
  for (const word of words) {
    const named = await namedVm(settings, word);
    if (!known.includes(named.vm)) throw unknownVm(word, known, `${paths.vms} with a seed kubenet can log in with`);
    blocks.push({ name: named.vm, target: vmSshTarget(paths, named, { planned: true }) });
  }
  process.stdout.write(sshConfig(paths.root, blocks));
  return ExitCode.ok;
}
