// A small text file a user names — kubenet.yaml (KUBENET_CONFIG), --user-data, a template's
// $(<FILE), --sums — read with bounds: only a regular file (a FIFO would hang the read, /dev/zero
// would fill memory), at most `maxBytes`. The FIFO is opened without blocking, so even the open
// returns. What the file holds is never put in an error: it may be a secret (/etc/shadow).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ExitCode, KubenetError } from '../errors.js';

export const smallFileBytes = 1 << 20; // 1 MiB: far above any settings file, seed, template or SHA256SUMS

const kindOf = (s: Stats) =>
  s.isDirectory()
    ? 'a folder'
    : s.isFIFO()
      ? 'a named pipe (FIFO)'
      : s.isCharacterDevice() || s.isBlockDevice()
        ? 'a device'
        : s.isSocket()
          ? 'a socket'
          : 'not a regular file';

// The text of `path`; `given` names it in errors as the user gave it (KUBENET_CONFIG=…, --user-data …).
// A file that cannot be opened throws the system error (ENOENT, EACCES) for the caller to word.
export function readSmallFile(path: string, given: string, maxBytes = smallFileBytes): string {
  const refuse = (why: string, hint: string) => new KubenetError(`${given} ${why}`, { code: ExitCode.usage, hint });
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      throw refuse(
        `is ${kindOf(stats)}: kubenet reads it only from a regular file`,
        'give the path of a file (save what the pipe or device gives to one)',
      );
    const tooBig = refuse(
      `is larger than ${maxBytes >> 10} KiB, more than such a file ever is`,
      'check the path: it names something else than the file you meant',
    );
    if (stats.size > maxBytes) throw tooBig;
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) throw tooBig; // it grew while being read
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
