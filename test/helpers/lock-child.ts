// One contender of the lock stress test, in its own process.
// argv: <shared|vm> <images dir> <rounds> ; takes the lock `rounds` times and, while holding it,
// marks the room as occupied (an O_EXCL file). Finding the room occupied means two holders at once.
// Prints { rounds, overlaps } as JSON.
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ownDir } from '../../lib/fs/no-follow.js';
import { acquireLock } from '../../lib/lock/file-lock.js';
import { makePaths } from '../../lib/paths.js';
import { acquireVmLock } from '../../lib/vm/vm-lock.js';

const [mode, root, count] = process.argv.slice(2);
const paths = makePaths(root!);
const room = join(root!, 'room');
let overlaps = 0;

async function take(): Promise<{ release(): Promise<void> }> {
  if (mode === 'shared')
    return acquireLock(paths.lock('stress'), { what: 'stress testing', wait: true, timing: { pollMs: 1 } });
  for (;;) {
    try {
      return await acquireVmLock(paths, 'ubuntu0');
    } catch (error) {
      if ((error as { code?: number }).code !== 30) throw error;
      await sleep(1); // "already running": try again
    }
  }
}

await ownDir(paths.root, dirname(paths.lock('stress')));
for (let round = 0; round < Number(count); round++) {
  const lock = await take();
  try {
    closeSync(openSync(room, 'wx'));
  } catch {
    overlaps++; // the other process is in the room too
  }
  await sleep(Math.random() < 0.5 ? 0 : 1);
  try {
    unlinkSync(room);
  } catch {
    // the other holder removed it
  }
  await lock.release();
}
process.stdout.write(`${JSON.stringify({ rounds: Number(count), overlaps })}\n`);
