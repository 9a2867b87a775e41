// A disk that `once` found already made is kept — and, when it is an overlay, checked by its own
// header, whoever made it (kubenet, or the learner with the guide's qemu-img command): made for
// this guest architecture, its backing file still there, and said plainly when it keeps booting
// an older image it was moved onto when upstream published a new one (protect-backing.ts).
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import type { GuestArch } from '../host/types.js';
import type { StepOps } from '../step-ops.js';
import { backingPath } from './find-overlays.js';
import { checkArch } from './disk-arch.js';
import { readQcow2Backing } from './qcow2-header.js';

export interface KnownImages {
  arch: GuestArch;
  // The downloads a disk may be backed by, by their file name for each architecture.
  files: { file(arch: GuestArch): string }[];
  task: string; // whose reset deletes it
}

export async function checkKeptOverlay(ops: StepOps, file: string, known: KnownImages): Promise<void> {
  const path = `${ops.paths.root}/${file}`;
  const header = await readQcow2Backing(path);
  if (!header?.backing) return ops.detail(`${file} exists (a disk of its own, no backing file): kept`);
  checkArch(file, header.backing, known);
  const name = basename(header.backing);
  const isImage = (image: string) => name === image || name.endsWith(`-${image}`); // the image, or a pin of it
  const current = known.files.find((f) => name === f.file(known.arch));
  const backing = backingPath(path, header.backing);
  if (!existsSync(backing)) {
    throw new KubenetError(`${file} is backed by ${header.backing}, which is missing (${backing})`, {
      code: ExitCode.failure,
      hint:
        `put that file back (the overlay holds only what the VM changed), ` +
        `or start over with kubenet reset ${known.task} (it deletes ${file})`,
    });
  }
  if (current)
    return ops.detail(`${file} exists: kept (the VM keeps its state; kubenet reset ${known.task} starts over)`);
  const image = known.files.find((f) => isImage(f.file(known.arch)));
  if (image)
    ops.note(
      `${file} keeps booting the image it was made from (${header.backing}); kubenet ` +
        `reset ${known.task} moves the VM to the current ${image.file(known.arch)}`,
    );
}
