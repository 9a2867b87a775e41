// End to end: links planted in images/ where kubenet keeps its own files. Each run must stop
// with exit 10 and a message naming the link, before anything is written through it — the
// victim outside images/ keeps its content and mode. A user's own linked images/ folder is fine.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim, type Victim } from '../helpers/victim.js';
import { qemuProcessesIn } from '../helpers/processes.js';

const test = suite('e2e: links planted in images/');
const name = 'jammy-server-cloudimg-arm64.img';
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let images: string;
let victim: Victim;

test.before(async () => {
  const guest = await testGuest('aarch64');
  server = await startFaultServer();
  publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', name, readFileSync(guest.cloudImage));
  dir = tempDir('kubenet-e2e-links-');
});
test.before.each(() => {
  images = join(dir.path, 'images');
  victim = plantVictim(dir.path);
});
test.after.each(() => {
  rmSync(images, { recursive: true, force: true });
  rmSync(join(dir.path, 'home'), { recursive: true, force: true });
});
test.after(async () => {
  await server?.close();
  dir?.remove();
});

// Bound: no VM boots (each refusal comes before QEMU starts); a minute per run at most.
const run = (...args: string[]) =>
  kubenetAsync(
    [
      'run',
      '03-cloud-image',
      '--arch',
      'aarch64',
      '--headless',
      '--until',
      'never printed',
      '--timeout',
      '30',
      '--mirror',
      server.url,
      '--images',
      images,
      ...args,
    ],
    {
      timeoutMs: 60_000,
      env: { HOME: join(dir.path, 'home') },
    },
  );

const plantAt = (file: string, target = victim.path) => {
  mkdirSync(dirname(join(images, file)), { recursive: true });
  symlinkSync(target, join(images, file));
};

for (const file of [
  'ubuntu0.img',
  'vm/ubuntu0/efivars.fd',
  'vm/ubuntu0/qemu.stderr',
  'vm/ubuntu0/serial.log',
  'cidata.iso',
  'cloud-init/user-data',
  'ssh/id_ed25519.pub',
]) {
  test(`a link at ${file} stops the run with exit 10, naming it; its target is untouched`, async () => {
    plantAt(file);
    const r = await run();
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(r.stderr, `${join(images, file)} is a symbolic link where kubenet keeps its own file`);
    assert.ok(victim.untouched(), 'the victim outside images/ is unchanged');
    assert.equal(qemuProcessesIn(images), []);
  });
}

test("a link in place of the VM's folder stops the run; nothing is written behind it", async () => {
  const elsewhere = join(dir.path, 'elsewhere');
  mkdirSync(elsewhere, { recursive: true });
  try {
    plantAt('vm/ubuntu0', elsewhere);
    const r = await run();
    assert.is(r.code, 10, r.stderr + r.stdout);
    assert.match(r.stderr, `${join(images, 'vm/ubuntu0')} is a symbolic link where kubenet keeps its own folder`);
    assert.equal(readdirSync(elsewhere), []);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test("images/ itself may be a link to a folder of the user's", async () => {
  const real = join(dir.path, 'real-images');
  mkdirSync(real);
  try {
    symlinkSync(real, images);
    const r = await run('--step', '9');
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.ok(readdirSync(real).includes('ubuntu0.img'));
  } finally {
    rmSync(real, { recursive: true, force: true });
  }
});

test.run();
