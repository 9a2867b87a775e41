// How big a download may grow. A server that sends a body with no Content-Length and never ends
// would fill the disk, and the partial left behind made every later run fail ("cannot create the
// lock … no space left"). So each download has a ceiling (from its definition, generous: no real
// file is near it) and the disk keeps a reserve free: past either, the transfer stops. A partial
// past the ceiling, or one whose size nobody announced, can never be shown to be the file (it is
// deleted, and the run says so); one within an announced size is kept to resume once there is room.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../../errors.js';
import { mib } from '../explain-failure.js';

export interface SizeBounds {
  maxBytes: number; // the most this download can be
  reserveBytes: number; // left free on the disk that holds images/
}

const checkEvery = 64 << 20; // bytes written between two looks at the free space

// Thrown when a bound is passed; `discard` says the partial can never verify and must go.
export class PastBound extends KubenetError {
  constructor(message: string, readonly discard: boolean, code: typeof ExitCode.download | typeof ExitCode.host, hint: string) {
    super(message, { code, hint });
  }
}

const freeBytes = (dir: string) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

export class SizeWatch {
  private nextCheck = 0;

  constructor(private readonly bounds: SizeBounds, private readonly file: string, private readonly partial: string) {}

  // A size the server announces (Content-Length, Content-Range), before the first byte of the
  // body: refused when past the ceiling, and said at once when the disk cannot take the rest.
  announced(total: number | undefined, offset: number): void {
    if (total === undefined) return;
    if (total > this.bounds.maxBytes) {
      throw new PastBound(`${this.file}: the server announces ${mib(total)}, more than ${mib(this.bounds.maxBytes)}, the most this download can be: not downloaded`, true, ExitCode.download,
        'That is not the file kubenet asked for (a wrong URL, or a mirror serving something else). Check the mirror or the URL.');
    }
    const free = freeBytes(dirname(this.partial));
    if (total - offset <= free - this.bounds.reserveBytes) return;
    throw new PastBound(`cannot write ${this.file}: it needs ${mib(total - offset)} more, and ${dirname(this.partial)} has ${mib(free)} free (kubenet keeps ${mib(this.bounds.reserveBytes)} of it free)`, false, ExitCode.host,
      `Free at least ${mib(total - offset + this.bounds.reserveBytes - free)} on that disk (or pass --images DIR on a roomier one), then run again${offset > 0 ? `: the ${mib(offset)} already downloaded are kept and the download resumes` : ''}.`);
  }

  // After `written` bytes of the partial (of `total`, when announced).
  wrote(written: number, total: number | undefined): void {
    if (written > this.bounds.maxBytes) {
      throw new PastBound(`${this.file}: the server sent more than ${mib(this.bounds.maxBytes)}, the most this download can be, and had not ended: stopped, and the partial download deleted (it could never match SHA256SUMS)`, true, ExitCode.download,
        'The server sends a body that does not end (no Content-Length). Check the mirror or the URL; nothing else was changed.');
    }
    if (written < this.nextCheck) return;
    this.nextCheck = written + checkEvery;
    const free = freeBytes(dirname(this.partial));
    if (free >= this.bounds.reserveBytes) return;
    const keep = total !== undefined && written <= total;
    const reserve = `kubenet keeps ${mib(this.bounds.reserveBytes)} free on the disk of ${dirname(this.partial)} (${mib(free)} left)`;
    throw keep
      ? new PastBound(`cannot write ${this.file}: ${reserve}: stopped at ${mib(written)} of ${mib(total)}`, false, ExitCode.host,
        `Free at least ${mib(total - written + this.bounds.reserveBytes - free)} on that disk (or pass --images DIR on a roomier one), then run again: the ${mib(written)} already downloaded are kept and the download resumes.`)
      : new PastBound(`cannot write ${this.file}: ${reserve}: stopped at ${mib(written)}; the server announced no size, so the partial download was deleted (it may never end)`, true, ExitCode.host,
        'Free some space on that disk (or pass --images DIR on a roomier one) and run again; if the server never ends its body, check the mirror or the URL.');
  }
}
