// End to end: the live-CD task boots a real aarch64 guest under TCG. A tiny live ISO built from
// Debian packages stands in for the live ISO, served through --mirror by a local HTTP server laid
// out as upstream is today: the guide's daily-live path a 404 page, the ISO under its released
// name (ubuntu-22.04.5-live-server-arm64.iso) in cdimage's release directory, with a SHA256SUMS
// that lists the other files there too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { dailyLiveGone, publishRelease } from '../helpers/ubuntu-mirror.js';
import { alive, killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { GUEST_MARKERS, guestMarkers, testGuest } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: 02-live-cd under TCG');
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let images: string;
let isoPath: string;

test.before(async () => {
  const guest = await testGuest('aarch64');
  server = await startFaultServer();
  dailyLiveGone(server);
  isoPath = publishRelease(server, { arm64: readFileSync(guest.liveIso) }).arm64.path;
  dir = tempDir('kubenet-e2e-live-');
  images = join(dir.path, 'images');
});
test.after(async () => {
  killQemuIn(images);
  await server?.close();
  dir?.remove();
});

const runWord = (word: string, ...args: string[]) =>
  kubenetAsync(
    [
      'run',
      word,
      '--arch',
      'aarch64',
      '--headless',
      '--mirror',
      server.url,
      '--images',
      images,
      '--memory',
      '512M',
      ...args,
    ],
    { timeoutMs: 420_000 },
  );
const run = (...args: string[]) => runWord('02-live-cd', ...args);

const virtualSize = (file: string) =>
  JSON.parse(execFileSync('qemu-img', ['info', '--output', 'json', '-U', file], { encoding: 'utf8' }))[
    'virtual-size'
  ] as number;

test('downloads the ISO, creates the disk and boots the live CD to the marker', async () => {
  const r = await run('--until', GUEST_MARKERS.done, '--timeout', '300');
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, 'ubuntu-22.04.5-live-server-arm64.iso: downloaded and verified');
  assert.is(
    r.stdout.split("the guide's jammy-desktop-arm64.iso is gone, so kubenet uses ubuntu-22.04.5-live-server-arm64.iso")
      .length - 1,
    1,
    'the difference is said once',
  );
  assert.match(r.stdout, /^ +-cdrom ubuntu-22\.04\.5-live-server-arm64\.iso( \\)?$/m);
  assert.match(r.stdout, 'accel=tcg');
  const markers = guestMarkers(readFileSync(join(images, 'vm/live-cd/serial.log'), 'utf8'));
  assert.ok(markers.includes(GUEST_MARKERS.liveBooted), markers.join('\n'));
  // The guest sees the 128G disk the guide's qemu-img made, as -hda.
  assert.ok(
    markers.some((m) => m.startsWith(GUEST_MARKERS.disk) && m.endsWith(`size=${128 * 1024 ** 3}`)),
    markers.join('\n'),
  );
  assert.is(virtualSize(join(images, 'ubuntu.img')), 128 * 1024 ** 3);
  assert.equal(qemuProcessesIn(images), [], 'no QEMU left');
  assert.not.ok(existsSync(join(images, 'vm/live-cd/pid')), 'pid file removed');
});

test('a rerun downloads nothing and never recreates the disk', async () => {
  const disk = join(images, 'ubuntu.img');
  const before = statSync(disk);
  const served = server.requests.length;
  const r = await run('--until', GUEST_MARKERS.done, '--timeout', '300', '--force');
  assert.is(r.code, 0, r.stderr + r.stdout);
  const isoRequests = server.requests.slice(served).filter((q) => q.path === isoPath);
  assert.equal(isoRequests, [], 'the ISO was not requested again');
  assert.ok(
    server.requests.slice(served).some((q) => q.path.endsWith('/SHA256SUMS') && q.status === 304),
    'SHA256SUMS was checked with a conditional request',
  );
  assert.is(statSync(disk).ino, before.ino, 'the same disk file');
  assert.is(virtualSize(disk), 128 * 1024 ** 3);
});

test("a user's existing disk is kept as it is, whatever its size", async () => {
  const disk = join(images, 'ubuntu.img');
  killQemuIn(images);
  execFileSync('rm', ['-f', disk]);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '1G']);
  const r = await run('--until', GUEST_MARKERS.done, '--timeout', '300', '--disk-size', '64G');
  assert.is(r.code, 0, r.stderr + r.stdout);
  const markers = guestMarkers(readFileSync(join(images, 'vm/live-cd/serial.log'), 'utf8'));
  assert.ok(
    markers.some((m) => m.startsWith(GUEST_MARKERS.disk) && m.endsWith(`size=${1024 ** 3}`)),
    markers.join('\n'),
  );
  assert.is(virtualSize(disk), 1024 ** 3);
});

test('--until that never matches times out with the serial tail, and stops QEMU', async () => {
  // Step 4 boots only the firmware, which waits in its shell: the VM stays up until stopped.
  const r = await runWord('uefi', '--until', 'NEVER-PRINTED-MARKER', '--timeout', '25');
  assert.is(r.code, 30, r.stderr + r.stdout);
  assert.match(r.stderr, 'NEVER-PRINTED-MARKER');
  assert.match(r.stderr, /Shell>|UEFI|BdsDxe/, 'shows the last serial lines');
  assert.equal(qemuProcessesIn(images), [], 'no QEMU left');
});

test('a QEMU that exits at once gets an explanation, not a stack trace', async () => {
  const r = await runWord('uefi', '--accel', 'kvm', '--until', 'x', '--timeout', '60');
  assert.is.not(r.code, 0);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(r.stderr, /kvm|KVM/);
  assert.equal(qemuProcessesIn(images), []);
});

test(
  'a second run while the VM runs starts no second QEMU ' + 'on the same disk: a no-op, or refused with --until',
  async () => {
    let pid: number | undefined;
    const first = kubenetAsync(
      [
        'run',
        '02-live-cd',
        '--step',
        '8',
        '--arch',
        'aarch64',
        '--headless',
        '--offline',
        '--images',
        images,
        '--memory',
        '512M',
        '--until',
        'NEVER-PRINTED',
        '--timeout',
        '120',
      ],
      {
        timeoutMs: 180_000,
        onSpawn: (child) => (pid = child.pid),
      },
    );
    const pidFile = join(images, 'vm/live-cd/pid');
    for (let i = 0; i < 600 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    try {
      const second = await kubenetAsync(
        [
          'run',
          '02-live-cd',
          '--step',
          '8',
          '--arch',
          'aarch64',
          '--headless',
          '--offline',
          '--images',
          images,
          '--memory',
          '512M',
        ],
        { timeoutMs: 60_000 },
      );
      assert.is(second.code, 0, second.stderr + second.stdout);
      assert.match(
        second.stdout,
        /live-cd is up already \(pid \d+, run by kubenet pid \d+ \(headless\)\): nothing to start/,
      );
      const waiting = await kubenetAsync(
        [
          'run',
          '02-live-cd',
          '--step',
          '8',
          '--arch',
          'aarch64',
          '--headless',
          '--offline',
          '--images',
          images,
          '--memory',
          '512M',
          '--until',
          'x',
        ],
        { timeoutMs: 60_000 },
      );
      assert.is(waiting.code, 30, waiting.stderr + waiting.stdout);
      assert.match(waiting.stderr, 'live-cd is already running');
      assert.is(qemuProcessesIn(images).length, 1, 'one QEMU');
    } finally {
      process.kill(pid!, 'SIGINT');
      await first.catch(() => undefined);
    }
    assert.equal(qemuProcessesIn(images), []);
  },
);

test('Ctrl-C stops the VM and leaves no process behind', async () => {
  let pid: number | undefined;
  const done = kubenetAsync(['run', 'uefi', '--arch', 'aarch64', '--headless', '--offline', '--images', images], {
    timeoutMs: 180_000,
    onSpawn: (child) => (pid = child.pid),
  });
  const pidFile = join(images, 'vm/machine/pid');
  const serial = join(images, 'vm/machine/serial.log');
  for (let i = 0; i < 600 && !(existsSync(pidFile) && existsSync(serial) && statSync(serial).size > 0); i++)
    await new Promise((r) => setTimeout(r, 100));
  const qemuPid = Number(readFileSync(pidFile, 'utf8').trim());
  assert.ok(qemuPid > 0 && alive(qemuPid), 'QEMU is running');
  process.kill(pid!, 'SIGINT');
  const r = await done;
  assert.is(r.code, 130, r.stderr + r.stdout);
  assert.not.ok(alive(qemuPid), 'QEMU is gone');
  assert.equal(qemuProcessesIn(images), []);
  assert.is(virtualSize(join(images, 'ubuntu.img')), 1024 ** 3, 'the disk is intact');
});

test.run();
