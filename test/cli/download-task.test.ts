// A download through the CLI (`kubenet run cloud-img`): verified into images/, rechecked cheaply on a rerun,
// and still usable when upstream cannot be reached.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('downloads run by name');
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let img: ReturnType<typeof publish>;
const name = 'jammy-server-cloudimg-arm64.img';

test.before.each(async () => {
  server = await startFaultServer();
  dir = tempDir('kubenet-dltask-');
  img = publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', name, Buffer.alloc(500_000, 3));
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const run = (...args: string[]) =>
  kubenetAsync(
    ['run', 'cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', join(dir.path, 'images'), ...args],
    { timeoutMs: 60_000 },
  );
const file = () => join(dir.path, 'images', name);

test('downloads under the upstream name, verified and read-only', async () => {
  const r = await run();
  assert.is(r.code, 0, r.stderr);
  assert.is(createHash('sha256').update(readFileSync(file())).digest('hex'), img.sha256);
  assert.is(statSync(file()).mode & 0o222, 0, 'not writable');
  assert.match(r.stdout, 'downloaded and verified');
});

test('a rerun asks only for SHA256SUMS, conditionally', async () => {
  await run();
  const served = server.requests.length;
  const r = await run();
  assert.is(r.code, 0, r.stderr);
  const later = server.requests.slice(served);
  assert.equal(
    later.map((q) => [q.path.split('/').pop(), q.status]),
    [['SHA256SUMS', 304]],
  );
  assert.match(r.stdout, 'verified copy is current');
});

test('when upstream cannot be checked, the verified copy is used and the user told', async () => {
  await run();
  server.always(img.path.replace(name, 'SHA256SUMS'), { status: 404 });
  const r = await run();
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'could not check upstream');
});

test('a digest mismatch fails, names both digests and leaves no file', async () => {
  publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    name,
    Buffer.alloc(500_000, 3),
    `${'ab'.repeat(32)} *${name}\n`,
  );
  const r = await run();
  assert.is(r.code, 21, r.stderr);
  assert.match(r.stderr, 'ab'.repeat(32));
  assert.match(r.stderr, img.sha256);
  let exists = true;
  try {
    statSync(file());
  } catch {
    exists = false;
  }
  assert.not.ok(exists, 'no unverified file under the final name');
});

test('the old task name 13-cloud-img says what it became, then does the same', async () => {
  const r = await kubenetAsync(
    ['run', '13-cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', join(dir.path, 'images')],
    { timeoutMs: 60_000 },
  );
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, '13-cloud-img is now the download cloud-img');
  assert.is(createHash('sha256').update(readFileSync(file())).digest('hex'), img.sha256);
});

test.run();
