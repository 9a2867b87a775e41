// `kubenet ssh [VM] [-- command…]`: log in to a VM (default ubuntu0) with the right key, user and
// port, once its sshd answers (waiting up to --wait seconds, and saying so, while the guest boots).
import { relative } from 'node:path';
import { ExitCode, KubenetError } from '../../errors.js';
import { runProcess } from '../../process/run-process.js';
import { sshArgv } from '../../ssh/ssh-target.js';
import { waitForSshd } from '../../ssh/wait-for-sshd.js';
import type { CommandInput } from '../command-input.js';
import { loginNames, namedVm, unknownVm, vmSshTarget } from '../../ssh/vm-target.js';
import { vmStatus } from '../../vm/vm-status.js';

export async function ssh({ line, options, paths, settings }: CommandInput<'ssh'>): Promise<number> {
  const [word = 'ubuntu0', ...extra] = line.words;
  // A VM of the cluster (chapter 2), by name or id: on the bridge at its own address, root-free
  // through the port kubenet forwards to it.
  const named = await namedVm(settings, word);
  const { vm } = named;
  const member = named.cluster;
  const known = await loginNames(paths, settings);
  if (!member && !known.includes(vm)) throw unknownVm(word, known, 'this folder or the cluster');
  const command = [...extra, ...line.rest];
  const waitSeconds = options.wait ?? 300;
  const running = async () => (await vmStatus(paths, vm)).running;
  if (!(await running())) {
    throw new KubenetError(`${vm} is not running`, {
      code: ExitCode.vm,
      hint:
        vm === 'ubuntu0'
          ? 'start it in another terminal: kubenet run 03-cloud-image'
          : member
            ? `start it first: kubenet run 30-cluster (or kubenet run vm-launch --vm ${vm})`
            : 'start it first (kubenet list shows the tasks that boot it)',
    });
  }
  const target = vmSshTarget(paths, named);
  // No terminal, no one to answer a prompt: a script gets an error instead of a hang.
  const args = sshArgv(target, command, { batch: !process.stdin.isTTY });
  if (settings.verbose) process.stdout.write(`ssh ${args.join(' ')}\n`);
  const serialLog = shortPath(paths.vmFile(vm, 'serial.log'));
  await waitForSshd({
    vm,
    target,
    waitMs: waitSeconds * 1000,
    serialLog,
    running,
    say: (text) => process.stderr.write(`${text}\n`),
  });
  // At the terminal: its user ends it (the terminal's Ctrl-C reaches ssh as it reaches kubenet).
  const r = await runProcess('ssh', args, { stdin: 'inherit', stdout: 'inherit', stderr: 'inherit' });
  if (r.cause) {
    throw new KubenetError('cannot run ssh', {
      code: ExitCode.host,
      cause: r.cause,
      hint: 'install OpenSSH: sudo apt-get install openssh-client',
    });
  }
  return r.exitCode ?? ExitCode.failure;
}

// images/vm/ubuntu0/serial.log when images/ is under the current folder, else the full path.
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
