import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { fetchAll } from '../../lib/download/index.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { downloadFixture } from '../helpers/download-fixture.js';
import { publish } from '../helpers/fault-server.js';

const test = suite('fetchAll');

test('fetches every artifact, and after all settle rejects naming each failure', async () => {
  const f = await downloadFixture(1 << 20);
  try {
    const iso = publish(f.server, 'https://cdimage.example.test/jammy/daily-live/current/', 'jammy-desktop-arm64.iso', randomBytes(1 << 20));
    const ok = await fetchAll([{ url: f.url }, { url: iso.url }, { url: f.url }], f.options);
    assert.equal(ok.map((r) => [r.name, r.sha256]), [[f.url.split('/').pop(), f.sha256], ['jammy-desktop-arm64.iso', iso.sha256]]);

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

test.run();
