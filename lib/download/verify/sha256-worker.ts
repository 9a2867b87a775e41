// SHA-256 on a worker thread, fed through a shared ring buffer: the main thread receives and
// writes a download while the worker hashes the same bytes, instead of hashing each chunk between
// two socket reads. Measured here (2 cores, shared with nginx and other work), 1 GiB from nginx on
// loopback, alternating rounds: with a core to spare 2.1–2.5 s instead of 2.6–2.7 s (curl -o: 1.7–2.0 s);
// with both cores busy it is no faster, as the same hashing plus a copy per chunk (~0.1 s/GiB) still
// needs the CPU. Reads of 4 MiB and a 16 MiB ring measured slower and cost 10 MB more.
// Each chunk is copied into the ring after it is written to the file, so the hash covers exactly
// the bytes of the partial file, in order; `digest()` waits for the worker to catch up.
import { Worker } from 'node:worker_threads';
import { control, queue, waitAsync } from './sha256-ring.js';

const ringSize = 8 << 20;
const maxPart = 1 << 20; // a chunk is queued in parts of at most this; the ring keeps room for one

export class Sha256Worker {
  private readonly worker: Worker;
  private readonly ring = new SharedArrayBuffer(ringSize);
  private readonly bytes = Buffer.from(this.ring);
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(queue.int32s * 4));
  private readonly starts = new Float64Array(queue.capacity); // ring position where each queued entry starts
  private pushed = 0;
  private position = 0; // bytes ever placed in the ring (and tails skipped at its end)
  private digests: { resolve: (hex: string) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;
  private closed = false;

  constructor() {
    this.worker = new Worker(new URL('./sha256-thread.js', import.meta.url), {
      workerData: { ring: this.ring, shared: this.ctrl.buffer },
    });
    this.worker.on('message', (hex: string) => this.digests.shift()?.resolve(hex));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the SHA-256 worker thread exited (code ${code})`)));
  }

  // Hashes these bytes after all before them (copied: the caller may reuse its buffer).
  // Returns false when the ring is nearly full: pause the source and await room().
  update(chunk: Buffer): boolean {
    for (let at = 0; at < chunk.length; at += maxPart)
      this.place(chunk.subarray(at, Math.min(chunk.length, at + maxPart)));
    return this.fits(maxPart);
  }

  async room(): Promise<void> {
    while (!this.fits(maxPart)) {
      this.throwIfFailed();
      const wait = waitAsync(this.ctrl, control.popped, Atomics.load(this.ctrl, control.popped), 1_000);
      if (wait.async) await wait.value;
    }
  }

  // Starts over: what comes next is hashed from the first byte.
  reset(): void {
    this.enqueue(0, queue.reset);
  }

  // The digest of everything so far; hashing may continue after it.
  digest(): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.digests.push({ resolve, reject });
      this.enqueue(0, queue.digest);
    });
  }

  close(): void {
    if (this.closed) return;
    this.fail(new Error('the SHA-256 worker was closed'));
    this.closed = true;
    void this.worker.terminate();
  }

  private place(part: Buffer): void {
    while (!this.fits(part.length)) this.waitForWorker(); // only when a caller ignored update()'s false
    let at = this.position % ringSize;
    if (at + part.length > ringSize) {
      this.position += ringSize - at;
      at = 0;
    }
    part.copy(this.bytes, at);
    this.enqueue(at, part.length);
    this.position += part.length;
  }

  private enqueue(offset: number, length: number): void {
    while (this.queued() >= queue.capacity - 1) this.waitForWorker();
    const i = queue.entry(this.pushed);
    this.ctrl[i] = offset;
    this.ctrl[i + 1] = length;
    this.starts[this.pushed & (queue.capacity - 1)] = this.position;
    this.pushed = (this.pushed + 1) | 0;
    Atomics.store(this.ctrl, control.pushed, this.pushed); // publishes the entry and the bytes before it
    Atomics.notify(this.ctrl, control.pushed);
  }

  private queued(): number {
    return (this.pushed - Atomics.load(this.ctrl, control.popped)) | 0;
  }

  // Whether `length` more bytes fit behind the oldest entry not yet hashed.
  private fits(length: number): boolean {
    const popped = Atomics.load(this.ctrl, control.popped);
    const queued = (this.pushed - popped) | 0;
    if (queued >= queue.capacity - 1) return false;
    const free = queued === 0 ? this.position : this.starts[popped & (queue.capacity - 1)]!;
    const at = this.position % ringSize;
    const skip = at + length > ringSize ? ringSize - at : 0;
    return this.position + skip + length - free <= ringSize;
  }

  private waitForWorker(): void {
    this.throwIfFailed();
    Atomics.wait(this.ctrl, control.popped, Atomics.load(this.ctrl, control.popped), 100);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private fail(error: Error): void {
    if (this.closed || this.failure) return;
    this.failure = error;
    for (const pending of this.digests.splice(0)) pending.reject(error);
  }
}
