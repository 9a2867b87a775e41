// Follows a log file that another process (QEMU) writes, like `tail -F`: fs.watch wakes it at
// once, a short poll covers file systems where watching is unreliable. Only new bytes are read.
import { open, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { dirname, basename } from 'node:path';

export interface SerialFollower {
  // Reads whatever is still unread (call once the writer has exited), then stops.
  stop(): Promise<void>;
}

export function followFile(path: string, onData: (chunk: Buffer) => void, pollMs = 100): SerialFollower {
  let handle: FileHandle | undefined;
  let offset = 0;
  let reading: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const buffer = Buffer.alloc(64 * 1024);

  const readNew = async (): Promise<void> => {
    if (!handle) {
      try {
        handle = await open(path, 'r');
      } catch {
        return; // not created yet
      }
    }
    const { size } = await handle.stat();
    if (size < offset) offset = 0; // truncated: a new writer started over
    while (offset < size) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      onData(Buffer.from(buffer.subarray(0, bytesRead)));
    }
  };

  // One read at a time; a wake-up during a read schedules one more.
  const wake = (): void => {
    if (stopped && !reading) return;
    if (reading) {
      again = true;
      return;
    }
    reading = readNew()
      .catch(() => undefined)
      .finally(() => {
        reading = undefined;
        if (again && !stopped) {
          again = false;
          wake();
        }
      });
  };

  // Watch the folder: the file may not exist yet, and a writer may replace it.
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, name) => {
      if (name === null || name === basename(path)) wake();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined; // polling alone still works
  }
  const timer = setInterval(wake, pollMs);
  timer.unref();
  wake();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      watcher?.close();
      await reading;
      await readNew().catch(() => undefined);
      await handle?.close();
      handle = undefined;
    },
  };
}
