// pflash firmware keeps its variables in a second, writable flash image. Each VM gets its own
// copy of the distro's template (64 MiB on aarch64 virt); the template is never written to.
import { existsSync } from 'node:fs';
import { copyFile, constants, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function ensureFirmwareVars(template: string, target: string): Promise<boolean> {
  if (existsSync(target)) return false;
  await mkdir(dirname(target), { recursive: true });
  // A reflink where the file system has them, else a plain copy; never over an existing file.
  await copyFile(template, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  return true;
}
