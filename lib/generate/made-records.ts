// What kubenet made in a folder of images/ (auth/), and from what: per group of files one
// command made together (ca.pem, ca-key.pem, ca.csr), the digests of the inputs it read and of
// the files it put in place — and, while it puts them in place, the digests it is about to, so
// a run killed halfway is recognised as kubenet's own unfinished work, not a learner's files. The
// templates it wrote there are recorded too, to tell them from the learner's edits. Read and
// written under the folder's lock (withMadeRecords), whole or not at all.
import { dirname } from 'node:path';
import { readJson, writeJson } from '../fs/json-file.js';
import { ownDir } from '../fs/no-follow.js';
import { acquireLock } from '../lock/file-lock.js';
import type { Paths } from '../paths.js';

export interface MadeGroup {
  inputs: string; // one digest of every input file and the commands
  inputFiles: Record<string, string>; // file → sha256, to say which one changed
  outputs: Record<string, string>; // file → sha256 of what was put in place
  pending?: Record<string, string>; // being put in place: file → sha256
}

export interface MadeRecords {
  groups: Record<string, MadeGroup>; // key: the group's files, comma-separated
  templates: Record<string, string>; // file → sha256 of the text kubenet last wrote
}

export const groupKey = (files: readonly string[]): string => files.join(',');

export function readMadeRecords(paths: Paths, dir: string): MadeRecords {
  const read = readJson<Partial<MadeRecords>>(paths.made(dir), { own: 'record of what it made' });
  return { groups: read?.groups ?? {}, templates: read?.templates ?? {} };
}

export const writeMadeRecords = (paths: Paths, dir: string, records: MadeRecords): Promise<void> =>
  writeJson(paths.made(dir), records, { root: paths.root });

// Runs `work` holding the folder's lock: two runs at once make each file once, the second finding
// it made. The lock is the same one downloads and VMs use (lock/file-lock.ts).
export async function withFolderLock<T>(
  paths: Paths,
  dir: string,
  signal: AbortSignal,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const path = paths.lock(`made-${dir}`);
  await ownDir(paths.root, dirname(path));
  const lock = await acquireLock(path, { what: `making files in ${dir}/`, wait: true, signal, log });
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
