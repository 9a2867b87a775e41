// `kubenet cp [-r] SRC… DST`: copies files to, from or between VMs, a VM's path written VM:PATH
// (relative to ubuntu's home), with scp as `kubenet ssh` logs in (ssh/copy-files.ts). The VMs
// named must run and their sshd answer.
import { ExitCode, KubenetError } from '../../errors.js';
import type { Endpoint } from '../../ssh/copy-files.js';
import type { SshTarget } from '../../ssh/ssh-target.js';
import type { CommandInput } from '../command-input.js';
import { loginNames, namedVm, unknownVm, vmSshTarget } from '../../ssh/vm-target.js';
import { findVm, topology } from '../../settings/topology.js';
import { sshdBanner } from '../../ssh/sshd-banner.js';
import { copyFiles } from '../../ssh/copy-files.js';
import { vmStatus } from '../../vm/vm-status.js';

export async function cp({ line, options, paths, settings }: CommandInput<'cp'>): Promise<number> {
  const words = [...line.words, ...line.rest];
  if (words.length < 2)
    throw new KubenetError('cp needs a source and a destination', {
      code: ExitCode.usage,
      hint: 'e.g. kubenet cp ./file gateway:  or  kubenet cp gateway:/etc/hosts .',
    });
  const known = await loginNames(paths, settings);
  const topo = topology(settings.cluster);
  const targets = new Map<string, SshTarget>();
  // VM:PATH when the part before the colon is a VM's name (or a cluster VM's id); a local name
  // with a colon is written ./NAME.
  const endpoint = async (word: string): Promise<Endpoint> => {
    const m = /^([A-Za-z0-9_.-]+):(.*)$/.exec(word);
    if (!m) return { path: word };
    const [, who, path] = m as unknown as [string, string, string];
    if (!known.includes(who) && !findVm(topo, who)) {
      const e = unknownVm(who, known, 'this folder or the cluster');
      throw new KubenetError(e.message, {
        code: ExitCode.usage,
        hint: `${e.hint}; a local file whose name has a colon: ./${word}`,
      });
    }
    const named = await namedVm(settings, who);
    if (!targets.has(named.vm)) {
      await mustRun(paths, named.vm);
      targets.set(named.vm, vmSshTarget(paths, named));
    }
    return { vm: named.vm, path: path === '' ? '.' : path };
  };
  const ends = [];
  for (const word of words) ends.push(await endpoint(word));
  const destination = ends.pop()!;
  if (targets.size === 0)
    throw new KubenetError('cp copies to or from a VM: name one as VM:PATH', {
      code: ExitCode.usage,
      hint: 'e.g. kubenet cp ./file gateway:',
    });
  for (const [vm, t] of targets) {
    if (!(await sshdBanner(t.host, t.port, 10_000))) {
      throw new KubenetError(`no sshd answers on ${t.host}:${t.port} (${vm})`, {
        code: ExitCode.vm,
        hint: `it may still be booting: kubenet ssh ${vm} waits for it, or see kubenet status`,
      });
    }
  }
  await copyFiles({
    sources: ends,
    destination,
    targets,
    recursive: options.recursive === true,
    batch: !process.stdin.isTTY,
    stdio: process.stdout.isTTY ? 'inherit' : 'pipe',
  });
  return ExitCode.ok;
}

async function mustRun(paths: CommandInput['paths'], vm: string): Promise<void> {
  if ((await vmStatus(paths, vm)).running) return;
  throw new KubenetError(`${vm} is not running`, {
    code: ExitCode.vm,
    hint: 'start it first (kubenet status shows the VMs)',
  });
}
