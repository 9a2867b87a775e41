// The README's worked example, as a user runs it: a folder with tasks/04-disk-usage.ts (the file
// in test/fixtures/user-tasks), `npx kubenet run 04-disk-usage`, which boots the chapter's VM (the
// tiny aarch64 test guest, through a local mirror) and then reads what the VM wrote.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { GUEST_MARKERS, testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const example = fileURLToPath(new URL('../../../test/fixtures/user-tasks/04-disk-usage.ts', import.meta.url));
const test = suite('e2e: a user task after 03-cloud-image');
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;

test.before(async () => {
  const guest = await testGuest('aarch64');
  server = await startFaultServer();
  publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    'jammy-server-cloudimg-arm64.img',
    readFileSync(guest.cloudImage),
  );
  dir = tempDir('kubenet-e2e-user-');
  mkdirSync(join(dir.path, 'tasks'));
  copyFileSync(example, join(dir.path, 'tasks', '04-disk-usage.ts'));
});
test.after(async () => {
  killQemuIn(join(dir.path, 'images'));
  await server?.close();
  dir?.remove();
});

test('npx kubenet run 04-disk-usage boots the VM first, then reports through the public API', async () => {
  const r = await kubenetAsync(
    [
      'run',
      '04-disk-usage',
      '--arch',
      'aarch64',
      '--headless',
      '--mirror',
      server.url,
      '--memory',
      '512M',
      '--until',
      GUEST_MARKERS.done,
      '--timeout',
      '300',
    ],
    {
      cwd: dir.path,
      timeoutMs: 420_000,
      env: { HOME: join(dir.path, 'home'), XDG_CACHE_HOME: join(dir.path, 'cache') },
    },
  );
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /✔ 03-cloud-image: done/);
  assert.match(
    r.stdout,
    /ubuntu0\.img holds \d+\.\d MiB written over jammy-server-cloudimg-arm64\.img \(sha256 [0-9a-f]{12}…\)/,
  );
  assert.match(r.stdout, `its serial console was logged to ${join(dir.path, 'images', 'vm', 'ubuntu0', 'serial.log')}`);
  assert.equal(qemuProcessesIn(join(dir.path, 'images')), []);
});

test.run();
