// Boots each test guest with a plain QEMU argv, the way the guide boots the images they stand in
// for, and checks what its /init reports on the serial console. Slow (about 15 s a boot under TCG)
// and needs qemu-system-aarch64, AAVMF and the built guests (built on first use).
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeIso } from '../../lib/iso/write-iso.js';
import { GUEST_MARKERS, guestMarkers, testGuest, type TestGuest } from '../helpers/test-guest.js';

const BOOT_TIMEOUT_MS = 180_000;
const DISK_BYTES = 128 * 1024 ** 3; // the guide's `qemu-img create … 128G`
const AAVMF_CODE = '/usr/share/AAVMF/AAVMF_CODE.fd';
const AAVMF_VARS = '/usr/share/AAVMF/AAVMF_VARS.fd';
const QEMU_EFI = '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd';

// The guide's machine under TCG: `-cpu host` does not exist there, and plain `max` is slow.
const MACHINE = ['-nodefaults', '-machine', 'virt', '-cpu', 'max,pauth-impdef=on', '-smp', '2', '-m', '2G', '-display', 'none', '-no-reboot'];

interface Boot {
  code: number | null;
  timedOut: boolean;
  markers: string[];
  log: string;
  stderr: string;
}

// Runs QEMU until the guest powers off (QEMU then exits) or the timeout; never leaves it running.
async function boot(dir: string, name: string, args: string[]): Promise<Boot> {
  const logPath = join(dir, `${name}.serial.log`);
  const child = spawn('qemu-system-aarch64', [...MACHINE, '-serial', `file:${logPath}`, ...args], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  try {
    const exit = await new Promise<{ code: number | null; timedOut: boolean }>((resolve, reject) => {
      timer = setTimeout(() => resolve({ code: null, timedOut: true }), BOOT_TIMEOUT_MS);
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, timedOut: false }));
    });
    const log = await readFile(logPath, 'utf8').catch(() => '');
    return { ...exit, markers: guestMarkers(log), log, stderr };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const qemuImg = (args: string[]) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn('qemu-img', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`qemu-img ${args.join(' ')}: ${stderr}`))));
  });

// Device names depend on PCI slot order, which is QEMU's business: compare them as /dev/*.
const withoutDevices = (markers: string[]) => markers.map((line) => line.replace(/\/dev\/[a-z0-9]+/g, '/dev/*'));

function explain(result: Boot): string {
  const tail = result.log.split(/\r?\n/).slice(-25).join('\n');
  return `exit ${result.code}${result.timedOut ? ' (timed out)' : ''}; stderr: ${result.stderr.trim()}\nserial log tail:\n${tail}`;
}

interface Case {
  sentence: string;
  prepare(guest: TestGuest, dir: string): Promise<string[]>; // QEMU args after the machine
  expected: string[];
}

const disk = `${GUEST_MARKERS.disk}/dev/* size=${DISK_BYTES}`;

const cases: Case[] = [
  {
    sentence: 'the live ISO boots from -cdrom with -bios, reads its medium and sees the 128G install disk',
    async prepare(guest, dir) {
      await qemuImg(['create', '-q', '-f', 'qcow2', join(dir, 'ubuntu.img'), '128G']);
      return ['-bios', QEMU_EFI, '-cdrom', guest.liveIso, '-hda', 'ubuntu.img'];
    },
    expected: [GUEST_MARKERS.liveBooted, `${GUEST_MARKERS.liveMedium}/dev/*`, disk, GUEST_MARKERS.done],
  },
  {
    sentence: 'the cloud image boots from a 128G overlay with pflash firmware and reads the cidata seed',
    async prepare(guest, dir) {
      await qemuImg(['create', '-q', '-F', 'qcow2', '-b', guest.cloudImage, '-f', 'qcow2', join(dir, 'ubuntu0.img'), '128G']);
      await writeIso(join(dir, 'cidata.iso'), [
        { name: 'user-data', data: '#cloud-config\npassword: ubuntu\n' },
        { name: 'meta-data', data: 'instance-id: ubuntu0\nlocal-hostname: node-7\n' },
      ], { volumeId: 'cidata' });
      return [...pflash(dir), '-hda', 'ubuntu0.img', '-drive', 'file=cidata.iso,driver=raw,if=virtio'];
    },
    expected: [
      GUEST_MARKERS.cloudBooted,
      disk,
      GUEST_MARKERS.cidataFound,
      `${GUEST_MARKERS.seed}/dev/*`,
      `${GUEST_MARKERS.localHostname}node-7`,
      `${GUEST_MARKERS.instanceId}ubuntu0`,
      `${GUEST_MARKERS.userData}#cloud-config`,
      GUEST_MARKERS.done,
    ],
  },
  {
    sentence: 'the cloud image without a seed says cidata is missing and still powers off',
    async prepare(guest, dir) {
      await qemuImg(['create', '-q', '-F', 'qcow2', '-b', guest.cloudImage, '-f', 'qcow2', join(dir, 'ubuntu0.img'), '128G']);
      return ['-bios', QEMU_EFI, '-hda', 'ubuntu0.img'];
    },
    expected: [GUEST_MARKERS.cloudBooted, disk, GUEST_MARKERS.cidataMissing, GUEST_MARKERS.done],
  },
];

// AAVMF as pflash: read-only code plus this VM's own copy of the 64 MiB vars template.
function pflash(dir: string): string[] {
  return ['-drive', `if=pflash,format=raw,readonly=on,file=${AAVMF_CODE}`, '-drive', `if=pflash,format=raw,file=${join(dir, 'efivars.fd')}`];
}

const test = suite('test guests boot under plain QEMU');
const dirs: string[] = [];
let guest: TestGuest;

test.before(async () => {
  guest = await testGuest('aarch64');
});

test.after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

for (const c of cases) {
  test(c.sentence, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubenet-guest-'));
    dirs.push(dir);
    await copyFile(AAVMF_VARS, join(dir, 'efivars.fd'));
    await truncate(join(dir, 'efivars.fd'), 64 * 1024 * 1024);
    const result = await boot(dir, 'guest', await c.prepare(guest, dir));
    assert.equal(withoutDevices(result.markers), c.expected, explain(result));
    assert.is(result.code, 0, explain(result));
  });
}

test.run();
