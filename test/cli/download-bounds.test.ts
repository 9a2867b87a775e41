// A body with no Content-Length that never ends, on a disk it could fill (issue 19 §5): before,
// it filled the disk and left the junk .part, after which every run failed ("cannot create the
// lock … no space left"). Now the download stops at the disk's reserve, deletes what can never
// verify, says so — and the next run gets as far as the download again. images/ is a small tmpfs
// in a mount namespace of the run's own (helpers/small-disk.ts); both runs share it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { rawHead, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { testWhen } from '../helpers/skip.js';
import { canMountTmpfs } from '../helpers/small-disk.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('a download that never ends, on a small disk');
const name = 'jammy-server-cloudimg-arm64.img';
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;

test.before(async () => {
  dir = tempDir('kubenet-bounds-');
  server = await startFaultServer();
  const sums = '/cloud-images.ubuntu.com/jammy/current/SHA256SUMS';
  server.put(sums, `${'3'.repeat(64)} *${name}\n`);
  // 8 MiB with no Content-Length (it would end when the connection closes), then nothing more.
  const chunk = Buffer.alloc(64 << 10, 9);
  server.always(`/cloud-images.ubuntu.com/jammy/current/${name}`, {
    raw: () => [rawHead(200, [['Connection', 'close']]), ...Array.from({ length: 128 }, () => chunk), 'hang'],
  });
});
test.after(async () => {
  await server?.close();
  dir?.remove();
});

testWhen(
  test,
  canMountTmpfs,
  'needs unshare able to mount a tmpfs (util-linux, user namespaces)',
  'it stops at the reserve, deletes the partial and says so; the next run is not blocked',
  async () => {
    const images = join(dir.path, 'images');
    mkdirSync(images);
    // Two runs on one 4 MiB tmpfs (its reserve: a twentieth, 204.8 KiB); what is left is listed after each.
    const script = 'mount -t tmpfs -o size=4m tmpfs "$0" && for run in 1 2; do "$@"; echo "exit $?"; ls -A "$0"; done';
    const r = await kubenetAsync(
      ['run', 'cloud-img', '--arch', 'aarch64', '--mirror', server.url, '--images', images],
      {
        timeoutMs: 120_000,
        wrapper: ['unshare', '--user', '--map-root-user', '--mount', '--', 'sh', '-c', script, images],
      },
    );
    const runs = (r.stdout + r.stderr).split(/^exit /m);
    assert.is(r.stdout.match(/^exit 10$/gm)?.length, 2, r.stdout + r.stderr);
    const message = `cannot write ${name}: kubenet keeps 204.8 KiB free on the disk of ${images}`;
    assert.is(r.stderr.split(message).length - 1, 2, `both runs say it:\n${r.stderr}`);
    assert.match(
      r.stderr,
      /stopped at \d+\.\d MiB; the server announced no size, so the partial download was deleted \(it may never end\)/,
    );
    assert.not.match(r.stdout + r.stderr, `.${name}.part`, 'no partial left after either run');
    assert.not.match(r.stderr, /cannot create the lock|no space left/);
    assert.ok(runs.length >= 3, 'two runs');
  },
);

test.run();
