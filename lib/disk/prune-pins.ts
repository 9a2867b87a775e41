// Pins (images/base/<sha>-<name>) exist only for the overlays that still read them. After a reset
// deletes an overlay, a pin no qcow2 image in images/ is backed by any more is removed — the
// older cloud image it kept (~600 MB) would otherwise stay forever.
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ownDirExists, removeOwn } from '../fs/no-follow.js';
import type { Paths } from '../paths.js';
import { overlaysBackedBy } from './find-overlays.js';

export async function prunePins(paths: Paths): Promise<string[]> {
  const base = dirname(paths.pinned('0'.repeat(64), 'x'));
  if (!(await ownDirExists(paths.root, base))) return []; // a link in place of base/ is refused, never pruned through
  const names = await readdir(base).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pin = join(base, name);
    if ((await overlaysBackedBy(paths.root, pin)).length > 0) continue;
    await removeOwn(paths.root, pin);
    removed.push(pin);
  }
  return removed;
}
