// A cluster VM's copy of files under images/ (the effect behind a task's copyToVm): the files read
// here without following a link, then copied over kubenet's ssh to the VM's own address.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { readOwn } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { copyChanged, type CopyResult, type LocalFile } from './copy-changed.js';
import { sshTarget } from './ssh-target.js';

export async function copyToVm(
  paths: Paths,
  vm: { name: string; ip: string },
  dir: string,
  files: readonly string[],
  options: { signal: AbortSignal; detail(line: string): void; address?: string },
): Promise<CopyResult> {
  const local: LocalFile[] = [];
  for (const name of files) {
    const path = join(paths.root, dir, name);
    const data = await readOwn(path);
    if (data === undefined)
      throw new KubenetError(`${dir}/${name} is missing: nothing copied to ${vm.name}`, {
        code: ExitCode.failure,
        hint: 'make it first: kubenet run 44-deploy-auth runs the tasks that make it',
      });
    local.push({ name, path, data, mode: (await lstat(path)).mode & 0o777 });
  }
  // On the bridge at its own address; root-free (no address given) through the port forwarded to it.
  const target = sshTarget({
    paths,
    vm: vm.name,
    hostname: vm.name,
    ...(options.address === undefined ? {} : { address: options.address }),
  });
  options.detail(`${vm.name}: comparing ${files.length} files with ${target.host}:${target.port}'s over ssh`);
  return copyChanged(target, local, { vm: vm.name, signal: options.signal });
}
