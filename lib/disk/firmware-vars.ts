// pflash firmware keeps its variables in a second, writable flash image. Each VM gets its own
// copy of the distro's template (64 MiB on aarch64 virt); the template is never written to. The
// copy appears whole or not at all (lib/fs/copy-once.ts): a run killed mid-copy never leaves a
// short file that every later boot would stumble on.
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { copyOnce } from '../fs/copy-once.js';
import { isNoSpace, noSpaceFor } from '../fs/disk-space.js';
import { ownDir, ownFile } from '../fs/no-follow.js';

// True when a new copy was made. `root` is images/: the folders below it must be kubenet's own.
export async function ensureFirmwareVars(root: string, template: string, target: string): Promise<boolean> {
  await ownDir(root, dirname(target));
  const existing = await ownFile(target);
  if (!existing) {
    try {
      return (await copyOnce(template, target)) === 'copied';
    } catch (error) {
      if (isNoSpace(error))
        throw await noSpaceFor(target, "the VM's copy of the UEFI variables", {
          need: (await stat(template)).size,
          cause: error,
        });
      throw error;
    }
  }
  const expected = (await stat(template)).size;
  if (existing.size !== expected) {
    // QEMU refuses a variable store of the wrong size: one cut short outside kubenet (its own copy
    // appears whole or not at all), or copied from other firmware.
    throw new KubenetError(
      `${target} holds ${existing.size} bytes, but the firmware's variable store ` +
        `is ${expected} bytes: a copy cut short, or one made from other firmware`,
      {
        code: ExitCode.host,
        hint:
          `remove it (rm ${JSON.stringify(target)}) and run again: kubenet ` +
          `copies ${template} afresh (this VM's UEFI settings start over)`,
      },
    );
  }
  return false;
}
