// A file the guide has the learner create and kubenet writes for them (auth/admin-csr.json): made
// when missing, then the learner's. When kubenet's text for it changes (the cluster's topology
// changed the names it lists), the file follows — as long as it still holds what kubenet last
// wrote there; a file the learner edited (or wrote before kubenet) is kept, and the caller says so.
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ownDir, ownFile, readOwn } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { readMadeRecords, withFolderLock, writeMadeRecords } from './made-records.js';

// written: it was missing; updated: it followed kubenet's new text; same: it holds that text;
// yours: it holds something else, kept.
export type TemplateResult = 'written' | 'updated' | 'same' | 'yours';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// `file` is relative to images/; its folder keeps the record (the made records of that folder).
export async function writeTemplate(
  paths: Paths,
  file: string,
  text: string,
  options: { mode: number; signal: AbortSignal; log: (line: string) => void },
): Promise<TemplateResult> {
  const path = join(paths.root, file);
  const dir = relative(paths.root, dirname(path));
  await ownDir(paths.root, dirname(path));
  return withFolderLock(paths, dir, options.signal, options.log, async () => {
    const records = readMadeRecords(paths, dir);
    const last = records.templates[file];
    const record = async () => {
      records.templates[file] = sha256(text);
      await writeMadeRecords(paths, dir, records);
    };
    if (!(await ownFile(path))) {
      await writeFileAtomic(path, text, { root: paths.root, mode: options.mode });
      await record();
      return 'written';
    }
    const now = sha256((await readOwn(path))!);
    if (now === sha256(text)) {
      if (last !== now) await record();
      return 'same';
    }
    if (last !== undefined && now === last) {
      await writeFileAtomic(path, text, { root: paths.root, mode: options.mode });
      await record();
      return 'updated';
    }
    return 'yours';
  });
}
