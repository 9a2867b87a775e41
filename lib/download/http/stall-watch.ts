// When a body has stalled, measured from the bytes themselves rather than in fixed windows (where
// a body that stops just after a window began was noticed up to two windows later): no byte for
// `stallMs` is a stall at that very moment; fewer than `minBytesPerSecond` on average over the last
// `stallMs` (a trickle) is one too, judged every tenth of it. Only while reading: pause() stops the
// clock (the consumer is behind, not the server) and resume() starts a fresh window.
export interface Stall {
  idleMs?: number; // no byte at all for this long
  bytes?: number; // else: this few over the last window
}

const slices = 10;

export class StallWatch {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private lastByteAt = 0;
  private pending = 0; // bytes since the last tick
  private recent: { at: number; bytes: number }[] = []; // per tick, within the last stallMs

  constructor(
    private readonly stallMs: number,
    private readonly minBytesPerSecond: number,
    private readonly onStall: (stall: Stall) => void,
  ) {}

  start(): void {
    this.stop();
    this.startedAt = this.lastByteAt = performance.now();
    this.pending = 0;
    this.recent = [];
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  bytes(n: number): void {
    this.pending += n;
    this.lastByteAt = performance.now();
  }

  // The next look: a tick, or the moment the idle bound runs out if that is sooner.
  private schedule(): void {
    const now = performance.now();
    const idleLeft = this.lastByteAt + this.stallMs - now;
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(this.stallMs / slices, idleLeft)));
  }

  private tick(): void {
    const now = performance.now();
    this.recent.push({ at: now, bytes: this.pending });
    this.pending = 0;
    this.recent = this.recent.filter((r) => r.at > now - this.stallMs);
    const idleMs = now - this.lastByteAt;
    if (idleMs >= this.stallMs) return this.onStall({ idleMs: this.stallMs });
    if (now - this.startedAt >= this.stallMs) {
      const bytes = this.recent.reduce((sum, r) => sum + r.bytes, 0);
      if (bytes < (this.minBytesPerSecond * this.stallMs) / 1000) return this.onStall({ bytes });
    }
    this.schedule();
  }
}
