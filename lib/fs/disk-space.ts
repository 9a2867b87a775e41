// A full disk, said as such wherever kubenet writes: which disk (the mount point that holds the
// path, as df names it), how much is free, what was being written — not a tool's words with exit
// 1, and not advice about a download when it was a VM's disk or its UEFI variables.
import { stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';

export interface Disk {
  mount: string; // the folder the file system is mounted at
  free: number; // bytes an unprivileged writer may still use
}

// The disk that holds `path` (or its nearest existing folder).
export async function diskOf(path: string): Promise<Disk> {
  let at = path;
  let stats = await stat(at).catch(() => undefined);
  while (!stats && dirname(at) !== at) {
    at = dirname(at);
    stats = await stat(at).catch(() => undefined);
  }
  let mount = at;
  while (dirname(mount) !== mount) {
    const up = await stat(dirname(mount)).catch(() => undefined);
    if (!up || up.dev !== stats?.dev) break;
    mount = dirname(mount);
  }
  const fs = await statfs(at).catch(() => undefined);
  return { mount, free: fs ? fs.bavail * fs.bsize : Number.NaN };
}

export const isNoSpace = (error: unknown): boolean =>
  ['ENOSPC', 'EDQUOT'].includes((error as NodeJS.ErrnoException)?.code ?? '');

const mib = (n: number) =>
  Number.isNaN(n)
    ? 'an unknown amount'
    : n >= 2 ** 30
      ? `${(n / 2 ** 30).toFixed(1)} GiB`
      : `${(n / 2 ** 20).toFixed(1)} MiB`;

// The error for "no room to write `what` at `path`" (exit 10). `need`: the bytes it takes, if known.
export async function noSpaceFor(
  path: string,
  what: string,
  { need, cause }: { need?: number; cause?: unknown } = {},
): Promise<KubenetError> {
  const disk = await diskOf(path);
  return new KubenetError(`no space left on the device for ${what} (${path})`, {
    code: ExitCode.host,
    ...(cause === undefined ? {} : { cause }),
    hint:
      `${need === undefined ? '' : `it takes ${mib(need)}; `}the disk mounted at ${disk.mount} ` +
      `has ${mib(disk.free)} free. Free some space there (df -h ${JSON.stringify(disk.mount)}), ` +
      `or pass --images DIR on another disk, then run again: nothing was left half-made`,
  });
}
