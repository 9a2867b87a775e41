// How big a download may grow. A server that sends a body with no Content-Length and never ends
// would fill the disk, and the partial left behind made every later run fail ("cannot create the
// lock … no space left"). So each download has a ceiling (from its definition, generous: no real
// file is near it) and the disk keeps a reserve free — `reserveBytes`, or a twentieth of a disk
// too small for that — so that kubenet's locks and records, and a VM's writes, still fit: past
// either, the transfer stops. A partial past the ceiling, or one whose size nobody announced, can
// never be shown to be the file (it is deleted, and the run says so); one within an announced size
// is kept to resume once there is room.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../../errors.js';
import { mib } from '../explain-failure.js';

export interface SizeBounds {
  maxBytes: number; // the most this download can be
  reserveBytes: number; // left free on the disk that holds images/ (at most a twentieth of it)
}

// Bytes written between two looks at the free space: at most half the reserve, so the disk never
// fills between two looks.
const checkEvery = 64 << 20;

// Thrown when a bound is passed; `discard` says the partial can never verify and must go.
export class PastBound extends KubenetError {
  constructor(
    message: string,
    readonly discard: boolean,
    code: typeof ExitCode.download | typeof ExitCode.host,
    hint: string,
  ) {
    super(message, { code, hint });
  }
}

const amount = (n: number) => (n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : mib(n));

export class SizeWatch {
  private nextCheck = 0;

  constructor(
    private readonly bounds: SizeBounds,
    private readonly file: string,
    private readonly partial: string,
  ) {}

  // What is free on the disk of images/, and what of it kubenet keeps free.
  private disk(): { free: number; reserve: number; where: string } {
    const where = dirname(this.partial);
    const s = statfsSync(where);
    return {
      free: s.bavail * s.bsize,
      reserve: Math.min(this.bounds.reserveBytes, Math.floor((s.blocks * s.bsize) / 20)),
      where,
    };
  }

  // A size the server announces (Content-Length, Content-Range), before the first byte of the
  // body: refused when past the ceiling, and said at once when the disk cannot take the rest.
  announced(total: number | undefined, offset: number): void {
    if (total === undefined) return;
    if (total > this.bounds.maxBytes) {
      throw new PastBound(
        `${this.file}: the server announces ${amount(total)}, more than ` +
          `${amount(this.bounds.maxBytes)}, the most this download can be: not downloaded`,
        true,
        ExitCode.download,
        'That is not the file kubenet asked for (a wrong URL, or a ' +
          'mirror serving something else). Check the mirror or the URL.',
      );
    }
    const { free, reserve, where } = this.disk();
    if (total - offset <= free - reserve) return;
    throw new PastBound(
      `cannot write ${this.file}: it needs ${amount(total - offset)} more, and ` +
        `${where} has ${amount(free)} free (kubenet keeps ${amount(reserve)} of it free)`,
      false,
      ExitCode.host,
      `Free at least ${amount(total - offset + reserve - free)} on that disk (or ` +
        `pass --images DIR on a roomier one), then run ` +
        `again${offset > 0 ? `: the ${amount(offset)} already downloaded are kept and the download resumes` : ''}.`,
    );
  }

  // Before `incoming` more bytes are written after `written` (of `total`, when announced).
  writing(written: number, incoming: number, total: number | undefined): void {
    if (written + incoming > this.bounds.maxBytes) {
      throw new PastBound(
        `${this.file}: the server sent more than ${amount(this.bounds.maxBytes)}, the most this download can ` +
          `be, and had not ended: stopped, and the partial download deleted (it could never match SHA256SUMS)`,
        true,
        ExitCode.download,
        'The server sends a body that does not end (no Content-Length). ' +
          'Check the mirror or the URL; nothing else was changed.',
      );
    }
    if (written + incoming < this.nextCheck) return;
    const { free, reserve, where } = this.disk();
    this.nextCheck = written + Math.max(64 << 10, Math.min(checkEvery, reserve / 2));
    if (free - incoming >= reserve) return;
    const keep = total !== undefined && written <= total;
    const kept = `kubenet keeps ${amount(reserve)} free on the disk of ${where} (${amount(free)} left)`;
    throw keep
      ? new PastBound(
          `cannot write ${this.file}: ${kept}: stopped at ${amount(written)} of ${amount(total)}`,
          false,
          ExitCode.host,
          `Free at least ${amount(total - written + reserve - free)} on that ` +
            `disk (or pass --images DIR on a roomier one), then run again: the ` +
            `${amount(written)} already downloaded are kept and the download resumes.`,
        )
      : new PastBound(
          `cannot write ${this.file}: ${kept}: stopped at ${amount(written)}; the server ` +
            `announced no size, so the partial download was deleted (it may never end)`,
          true,
          ExitCode.host,
          'Free some space on that disk (or pass --images DIR on a roomier one) and ' +
            'run again; if the server never ends its body, check the mirror or the URL.',
        );
  }
}
