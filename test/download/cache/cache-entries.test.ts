// Listing and pruning the shared cache: link counts decide what is in use, every removal happens
// under the entry's lock, and what killed runs left behind goes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SharedCache } from '../../../lib/download/cache/shared-cache.js';
import { acquireLock } from '../../../lib/lock/file-lock.js';
import { tempDir } from '../../helpers/tmp.js';

const test = suite('cache entries');
const day = 86_400_000;
let dir: ReturnType<typeof tempDir>;
let cache: SharedCache;

test.before.each(() => {
  dir = tempDir('kubenet-cache-entries-');
  cache = new SharedCache(join(dir.path, 'cache'));
});
test.after.each(() => dir.remove());

// A verified file kept in the cache, as a download would leave it.
async function kept(name: string, usedDaysAgo = 0): Promise<string> {
  const file = join(dir.path, name);
  const body = randomBytes(10_000);
  writeFileSync(file, body);
  const sha256 = createHash('sha256').update(body).digest('hex');
  await cache.keep(file, {
    sha256,
    name,
    url: `https://h.example/${name}`,
    signature: { digestOnly: 'a test' },
    voucher: 'a test SHA256SUMS',
  });
  const record = JSON.parse(readFileSync(cache.paths.entryRecord(sha256), 'utf8'));
  writeFileSync(
    cache.paths.entryRecord(sha256),
    JSON.stringify({ ...record, lastUsed: Date.now() - usedDaysAgo * day }),
  );
  return sha256;
}

test('lists entries newest first, with the links other than the cache itself', async () => {
  const a = await kept('a.img', 3); // still linked from dir/a.img
  const b = await kept('b.img');
  const entries = await cache.entries();
  assert.equal(
    entries.map((e) => [e.sha256, e.name, e.links]),
    [
      [b, 'b.img', 1],
      [a, 'a.img', 1],
    ],
  );
});

test('prune: linked entries are kept whatever their age; unlinked ones by age, or all with --all', async () => {
  const linked = await kept('linked.img', 90);
  const old = await kept('old.img', 40);
  const fresh = await kept('fresh.img', 2);
  for (const n of ['old.img', 'fresh.img']) rmSync(join(dir.path, n));
  let outcomes = await cache.prune({ olderThanDays: 30, all: false });
  const verdict = () => Object.fromEntries(outcomes.map((o) => [o.entry.sha256, [o.removed, o.why]]));
  assert.equal(verdict()[linked], [false, 'linked by 1 other name (an images/ folder or a pinned base)']);
  assert.equal(verdict()[old], [true, 'not linked by any folder; used 40 days ago']);
  assert.equal(verdict()[fresh], [false, 'used 2 days ago, less than 30 days ago']);
  outcomes = await cache.prune({ olderThanDays: 30, all: true });
  assert.equal(verdict()[fresh], [true, 'not linked by any folder; used 2 days ago']);
  assert.ok(existsSync(cache.paths.entry(linked)));
  assert.not.ok(existsSync(cache.paths.entry(fresh)));
  assert.not.ok(existsSync(cache.paths.entryRecord(fresh)));
});

test('an entry another kubenet holds the lock of is kept, and said so', async () => {
  const sha = await kept('busy.img', 60);
  rmSync(join(dir.path, 'busy.img'));
  const lock = await acquireLock(cache.paths.lock(sha), { what: 'linking it', wait: false });
  try {
    const [outcome] = await cache.prune({ olderThanDays: 30, all: true });
    assert.equal([outcome!.removed, outcome!.why], [false, 'another kubenet is using it now']);
  } finally {
    await lock!.release();
  }
});

test('an entry linked between the listing and its lock is kept', async () => {
  const sha = await kept('late.img', 60);
  rmSync(join(dir.path, 'late.img'));
  const original = cache.entries.bind(cache);
  cache.entries = async () => {
    const listed = await original();
    linkSync(cache.paths.entry(sha), join(dir.path, 'linked-meanwhile.img'));
    return listed;
  };
  const [outcome] = await cache.prune({ olderThanDays: 30, all: true });
  assert.equal([outcome!.removed, outcome!.why], [false, 'linked by 1 other name just now']);
});

test('records whose file is gone and temp files of dead runs are swept', async () => {
  mkdirSync(cache.paths.entries, { recursive: true });
  const orphan = cache.paths.entryRecord('f'.repeat(64));
  writeFileSync(orphan, '{}');
  const temp = join(cache.paths.entries, `.${'e'.repeat(64)}.999999-0badc0de.tmp`);
  writeFileSync(temp, 'half a copy');
  utimesSync(temp, new Date(Date.now() - day), new Date(Date.now() - day));
  await cache.prune({ olderThanDays: 30, all: false });
  assert.equal(readdirSync(cache.paths.entries), []);
});

test.run();
