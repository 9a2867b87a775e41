// This terminal on a VM's serial console, as `kubenet console` and a foreground boot at a terminal
// attach it: one at a time per VM (QEMU serves one client; a second would wait unseen), held by
// the VM's console lock, which names who is attached.
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { ownDir } from '../fs/no-follow.js';
import { acquireLock, LockBusy } from '../lock/file-lock.js';
import type { Paths } from '../paths.js';
import { connectWhenThere, relayConsole, type ConsoleEnd, type ConsoleIo } from './console-client.js';

// Attached: `attached()` runs once the connection is there (say how to leave), then the relay
// runs until it ends.
export async function attachConsole(
  paths: Paths,
  vm: string,
  socketPath: string,
  io: ConsoleIo,
  { attached, waitMs = 5000 }: { attached(): void; waitMs?: number },
): Promise<ConsoleEnd> {
  const lockFile = paths.lock(`console-${vm}`);
  await ownDir(paths.root, dirname(lockFile));
  let lock;
  try {
    lock = await acquireLock(lockFile, { what: `attached to ${vm}'s console`, wait: false });
  } catch (error) {
    if (!(error instanceof LockBusy)) throw error;
    throw new KubenetError(
      `another kubenet console is attached to ` +
        `${vm}${error.owner ? ` (pid ${error.owner.pid})` : ''}: QEMU serves one at a time`,
      { code: ExitCode.locked, hint: 'leave that one first (Ctrl-] there)' },
    );
  }
  try {
    const socket = await connectWhenThere(socketPath, waitMs);
    if (!socket)
      throw new KubenetError(`cannot attach to ${vm}'s console: nothing answers on ${socketPath}`, {
        code: ExitCode.vm,
        hint: 'kubenet status shows whether it still runs',
      });
    attached();
    return await relayConsole(socket, io);
  } finally {
    await lock.release();
  }
}
