// The worker side of sha256-worker.ts: hashes the ranges of the shared ring in the order the main
// thread queues them, and frees each one for reuse as soon as it is hashed. A queue entry is a
// range (offset, length ≥ 0) or a command: `reset` starts a new hash, `digest` reports the digest
// of everything so far — both in order with the ranges around them.
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { control, queue } from './sha256-ring.js';

const { ring, shared } = workerData as { ring: SharedArrayBuffer; shared: SharedArrayBuffer };
const bytes = Buffer.from(ring);
const ctrl = new Int32Array(shared);
let hash = createHash('sha256');
let popped = Atomics.load(ctrl, control.popped);

function hashQueued(): void {
  while (popped !== Atomics.load(ctrl, control.pushed)) {
    const at = queue.entry(popped);
    const offset = ctrl[at]!;
    const length = ctrl[at + 1]!;
    if (length >= 0) hash.update(bytes.subarray(offset, offset + length));
    else if (length === queue.reset) hash = createHash('sha256');
    else if (length === queue.digest) parentPort!.postMessage(hash.copy().digest('hex'));
    popped = (popped + 1) | 0;
    Atomics.store(ctrl, control.popped, popped);
    Atomics.notify(ctrl, control.popped);
  }
}

// This thread has nothing else to do: it sleeps until the main thread queues more (terminate() ends it).
for (;;) {
  hashQueued();
  Atomics.wait(ctrl, control.pushed, popped);
}
