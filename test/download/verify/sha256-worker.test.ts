import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { Sha256Worker } from '../../../lib/download/verify/sha256-worker.js';

const test = suite('Sha256Worker');
const sha = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

// Odd sizes, some larger than a ring part, 40 MiB in all: the 8 MiB ring wraps several times.
const sizes = [1, 65_537, (1 << 20) + 3, 3 << 20, 777, 1 << 20, 5 << 20, 12_345];
const chunks = (() => {
  const out: Buffer[] = [];
  for (let total = 0, i = 0; total < 40 << 20; i++) {
    const chunk = randomBytes(sizes[i % sizes.length]!);
    out.push(chunk);
    total += chunk.length;
  }
  return out;
})();

test('hashes every byte in order across ring wraps, whether or not the writer waits for room', async () => {
  const hasher = new Sha256Worker();
  try {
    let i = 0;
    for (const chunk of chunks) {
      const reused = Buffer.from(chunk); // the caller's buffer is overwritten right after update()
      const room = hasher.update(reused);
      reused.fill(0);
      if (!room && i++ % 2 === 0) await hasher.room(); // every other time: rely on update() blocking instead
    }
    assert.is(await hasher.digest(), sha(...chunks));
  } finally {
    hasher.close();
  }
});

test('digest is of everything so far, and reset starts over in order with the bytes around it', async () => {
  const hasher = new Sha256Worker();
  try {
    const [a, b, c] = [randomBytes(1000), randomBytes(3 << 20), randomBytes(10)];
    hasher.update(a);
    const first = hasher.digest();
    hasher.update(b);
    const second = hasher.digest();
    hasher.reset();
    hasher.update(c);
    assert.equal(await Promise.all([first, second, hasher.digest()]), [sha(a), sha(a, b), sha(c)]);
  } finally {
    hasher.close();
  }
});

test('after close, a pending digest is rejected rather than left hanging', async () => {
  const hasher = new Sha256Worker();
  hasher.update(randomBytes(1 << 20));
  const pending = hasher.digest();
  hasher.close(); // in the same tick: the worker's answer cannot have arrived
  try {
    await pending;
    assert.unreachable('the digest should have been rejected');
  } catch (error) {
    assert.match((error as Error).message, 'closed');
  }
});

test.run();
