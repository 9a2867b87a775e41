import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { cacheKey, fetchAll } from '../../lib/download/index.js';
import type { FetchResult } from '../../lib/download/types.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { downloadFixture } from '../helpers/download-fixture.js';
import { publish } from '../helpers/fault-server.js';

const test = suite('fetchAll');

test('fetches every artifact, and after all settle rejects naming each failure', async () => {
  const f = await downloadFixture(1 << 20);
  try {
    const iso = publish(
      f.server,
      'https://cdimage.example.test/jammy/daily-live/current/',
      'jammy-desktop-arm64.iso',
      randomBytes(1 << 20),
    );
    const ok = await fetchAll([{ url: f.url }, { url: iso.url }, { url: f.url }], f.options);
    assert.equal(
      ok.map((r) => [r.name, r.sha256]),
      [
        [f.url.split('/').pop(), f.sha256],
        ['jammy-desktop-arm64.iso', iso.sha256],
      ],
    );

    const missing = 'https://cdimage.example.test/jammy/daily-live/current/missing.iso';
    f.server.put('/cdimage.example.test/jammy/daily-live/current/SHA256SUMS', `${'1'.repeat(64)} *missing.iso\n`);
    try {
      await fetchAll([{ url: f.url }, { url: missing }], f.options);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, KubenetError);
      const e = error as KubenetError;
      assert.is(e.code, ExitCode.download);
      assert.match(e.message, '1 of 2 downloads failed');
      assert.match(e.details ?? '', missing);
    }
  } finally {
    await f.dispose();
  }
});

const result = (name: string, sha256: string): FetchResult => ({
  name,
  sha256,
  path: `/i/${name}`,
  url: `https://h/${name}`,
  size: 1,
  status: 'cached',
  transferred: 0,
  signature: { digestOnly: 'a test' },
});

test('cacheKey is the same whatever the order, and changes with any digest', () => {
  const a = result('a.iso', '1'.repeat(64));
  const b = result('b.img', '2'.repeat(64));
  assert.is(cacheKey([a, b]), cacheKey([b, a]));
  assert.is.not(cacheKey([a, b]), cacheKey([a, result('b.img', '3'.repeat(64))]));
  assert.match(cacheKey([a]), /^kubenet-images-[0-9a-f]{32}$/);
});

test.run();
