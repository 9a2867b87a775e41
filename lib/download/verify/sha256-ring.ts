// The layout both threads of the SHA-256 worker share: an Int32Array of two counters and a queue.
export const control = { pushed: 0, popped: 1 } as const; // entries queued / hashed so far (wrapping int32)

const capacity = 4096; // a power of two, so (n & mask) works for wrapped counters too
export const queue = {
  capacity,
  reset: -1, // entry lengths below zero are commands
  digest: -2,
  entry: (n: number) => 2 + 2 * (n & (capacity - 1)), // index of [offset, length] for entry n
  int32s: 2 + 2 * capacity,
} as const;

// Atomics.waitAsync (Node ≥ 16) is missing from the TypeScript lib this project compiles against.
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
export const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync.bind(Atomics);
