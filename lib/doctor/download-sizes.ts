// Which downloads are still to come, and roughly how big (a download declares its size; Ubuntu's
// daily images change size from build to build), minus what a partial download already holds.
import { statSync } from 'node:fs';
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Download } from '../task/types.js';

const sizeOf = (path: string): number | undefined => {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
};

// `fileOf`: a download's name here (the live ISO's is found, not the guide's: runner/download-names.ts).
export function pendingDownloads(
  paths: Paths,
  arch: GuestArch,
  downloads: readonly Download[],
  fileOf = (d: Download) => d.file(arch),
): { file: string; bytes: number }[] {
  return downloads
    .map((d) => ({ file: fileOf(d), bytes: d.approxBytes?.(arch) ?? 0 }))
    .filter((d) => sizeOf(paths.artifact(d.file)) === undefined)
    .map((d) => ({ file: d.file, bytes: Math.max(0, d.bytes - (sizeOf(paths.partial(d.file)) ?? 0)) }));
}
