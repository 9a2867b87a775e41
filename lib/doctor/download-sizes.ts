// Rough sizes of the chapter's downloads, rounded up (Ubuntu's daily images change size from
// build to build), and which of them are still to come.
import { statSync } from 'node:fs';
import { guideFileNames } from '../guide/guide-files.js';
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';

const GB = 1e9;
export const downloadSizes: Record<GuestArch, { liveIso: number; cloudImage: number }> = {
  aarch64: { liveIso: 3.5 * GB, cloudImage: 0.7 * GB },
  x86_64: { liveIso: 5 * GB, cloudImage: 0.7 * GB },
};

const sizeOf = (path: string): number | undefined => {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
};

// Downloads not yet in images/, minus what a partial download already holds.
export function pendingDownloads(paths: Paths, arch: GuestArch): { file: string; bytes: number }[] {
  const names = guideFileNames(arch);
  const sizes = downloadSizes[arch];
  return [
    { file: names.liveIso, bytes: sizes.liveIso },
    { file: names.cloudImage, bytes: sizes.cloudImage },
  ]
    .filter((d) => sizeOf(paths.artifact(d.file)) === undefined)
    .map((d) => ({ file: d.file, bytes: Math.max(0, d.bytes - (sizeOf(paths.partial(d.file)) ?? 0)) }));
}
