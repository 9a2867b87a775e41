// A VM overlay points at its base image by name. When upstream publishes a new image, the
// download replaces that name — so every verified version is also hard-linked under a name of
// its own (images/base/<sha>-<file>), and an overlay made on an older version is moved onto
// that pinned name before it boots. A hard link costs no space while both names share a file.
import { existsSync } from 'node:fs';
import { copyFile, constants, link, mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Paths } from '../paths.js';

export async function pinArtifact(paths: Paths, artifact: { path: string; sha256: string }): Promise<string> {
  const pinned = paths.pinned(artifact.sha256, basename(artifact.path));
  if (existsSync(pinned)) return pinned;
  await mkdir(dirname(pinned), { recursive: true });
  try {
    await link(artifact.path, pinned);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return pinned;
    if (code !== 'EXDEV' && code !== 'EPERM') throw error;
    // A file system without hard links: a reflink or, failing that, a copy.
    await copyFile(artifact.path, pinned, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  }
  return pinned;
}
