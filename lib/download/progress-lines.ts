// Progress without a terminal: a few plain lines per file (every `stepPercent`, or every
// `everyMs` when the size is unknown), never one per chunk. The runner supplies the format.
import type { Progress } from './types.js';

export function plainProgress(write: (line: string) => void, format: (p: Progress) => string, { stepPercent = 25, everyMs = 30_000 } = {}) {
  const last = new Map<string, { step: number; at: number }>();
  return (p: Progress): void => {
    const now = Date.now();
    const seen = last.get(p.file);
    if (p.total) {
      const step = Math.floor((100 * p.received) / p.total / stepPercent);
      if (seen && step <= seen.step) return;
      last.set(p.file, { step, at: now });
    } else {
      if (seen && now - seen.at < everyMs) return;
      last.set(p.file, { step: 0, at: now });
    }
    write(format(p));
  };
}
