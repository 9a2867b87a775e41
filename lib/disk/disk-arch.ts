// Which guest architecture a disk was made for, read from its backing file's name: the
// architecture's download (or a pin of it). Light: the up-front check before a run loads it.
import { basename } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import type { GuestArch } from '../host/types.js';

export interface ArchImages {
  arch: GuestArch; // this run's guest architecture
  files: { file(arch: GuestArch): string }[]; // downloads a disk may be backed by
  task: string; // whose reset deletes the disk
}

// Refuses a disk backed by another architecture's image (or a pin of it): it cannot boot here.
export function checkArch(file: string, backing: string, known: ArchImages): void {
  const name = basename(backing);
  for (const arch of ['aarch64', 'x86_64'] as const) {
    if (arch === known.arch) continue;
    const other = known.files.map((f) => f.file(arch)).find((image) => name === image || name.endsWith(`-${image}`));
    if (!other) continue;
    throw new KubenetError(`${file} was made for ${arch} guests (backed by ${backing}), not ${known.arch}`, {
      code: ExitCode.usage,
      hint: `pass --arch ${arch}, or start over with kubenet reset ${known.task} (it deletes ${file})`,
    });
  }
}
