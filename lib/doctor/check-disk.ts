// Free space where the artifacts go: the downloads still to come must fit, with room left for
// the disk the live CD installs Ubuntu onto.
import { fail, ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

const GB = 1e9;
export const slack = 1 * GB; // partial files, records, the seed, an overlay's first writes
export const installRoom = 10 * GB; // Ubuntu installed onto ubuntu.img (step 8) takes several GB

const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;

export function checkDisk(host: HostDescription): CheckResult {
  const { path, freeBytes, error } = host.disk;
  if (freeBytes === undefined)
    return warn(
      'disk',
      `cannot tell the free space of ${path}${error ? `: ${error}` : ''}`,
      'check it yourself: df -h',
    );
  const downloads = host.pending.reduce((sum, p) => sum + p.bytes, 0);
  const what = host.pending.length
    ? `${gb(downloads)} still to download (${host.pending.map((p) => p.file).join(', ')})`
    : 'every download is already there';
  const need = downloads + slack;
  if (freeBytes < need) {
    return fail(
      'disk',
      `${gb(freeBytes)} free in ${path}; ${what} needs about ${gb(need)}`,
      'free some space, or put the artifacts elsewhere with --images DIR (or KUBENET_IMAGES)',
    );
  }
  if (freeBytes < need + installRoom) {
    return warn(
      'disk',
      `${gb(freeBytes)} free in ${path}; ${what}, but installing Ubuntu ` +
        `onto ubuntu.img (step 8) needs about ${gb(installRoom)} more`,
      'free some space, or use --images DIR on a larger disk',
    );
  }
  return ok('disk', `${gb(freeBytes)} free in ${path}; ${what}`);
}
