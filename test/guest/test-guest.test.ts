// Boots each test guest with a plain QEMU argv, the way the guide boots the images they stand in
// for, and checks what its /init reports on the serial console. Slow (10-15 s a boot under TCG);
// needs QEMU, AAVMF and OVMF, and the built guests (built on first use, see test/helpers).
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildIso } from '../../lib/iso/build-iso.js';
import { GUEST_MARKERS, guestMarkers, testGuest, type TestGuest, type TestGuestArch } from '../helpers/test-guest.js';

const BOOT_TIMEOUT_MS = 180_000;
const DISK_BYTES = 128 * 1024 ** 3; // the guide's `qemu-img create … 128G`

interface Machine {
  exe: string;
  args: string[];
  bios: string[]; // the guide's -bios form
  pflash(dir: string): string[]; // the long form: read-only code plus this VM's copy of the vars
  varsTemplate: string;
}

// The guide's machines under TCG: `-cpu host` does not exist there, and on aarch64 plain `max`
// is slow. Debian's firmware paths (see /work/shared/notes/qemu-on-linux.md).
const machines: Record<TestGuestArch, Machine> = {
  aarch64: {
    exe: 'qemu-system-aarch64',
    args: ['-machine', 'virt', '-cpu', 'max,pauth-impdef=on'],
    bios: ['-bios', '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd'],
    pflash: (dir) => pflash('/usr/share/AAVMF/AAVMF_CODE.fd', join(dir, 'efivars.fd')),
    varsTemplate: '/usr/share/AAVMF/AAVMF_VARS.fd',
  },
  x86_64: {
    exe: 'qemu-system-x86_64',
    args: ['-machine', 'q35', '-cpu', 'max'],
    bios: ['-bios', '/usr/share/ovmf/OVMF.fd'],
    pflash: (dir) => pflash('/usr/share/OVMF/OVMF_CODE_4M.fd', join(dir, 'efivars.fd')),
    varsTemplate: '/usr/share/OVMF/OVMF_VARS_4M.fd',
  },
};

function pflash(code: string, vars: string): string[] {
  return ['-drive', `if=pflash,format=raw,readonly=on,file=${code}`, '-drive', `if=pflash,format=raw,file=${vars}`];
}

interface Boot {
  code: number | null;
  timedOut: boolean;
  markers: string[];
  log: string;
  stderr: string;
}

// Runs QEMU until the guest powers off (QEMU then exits) or the timeout; never leaves it running.
async function boot(machine: Machine, dir: string, args: string[]): Promise<Boot> {
  const logPath = join(dir, 'serial.log');
  const argv = [
    '-nodefaults',
    ...machine.args,
    '-smp',
    '2',
    '-m',
    '2G',
    '-display',
    'none',
    '-no-reboot',
    '-serial',
    `file:${logPath}`,
    ...args,
  ];
  const child = spawn(machine.exe, argv, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
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

// Device names depend on the machine (vda on virt, sda/sr0 on q35) and on PCI slot order,
// which is QEMU's business: compare them as /dev/*.
const withoutDevices = (markers: string[]) => markers.map((line) => line.replace(/\/dev\/[a-z0-9]+/g, '/dev/*'));

function explain(result: Boot): string {
  const tail = result.log.split(/\r?\n/).slice(-25).join('\n');
  return (
    `exit ${result.code}${result.timedOut ? ' (timed out)' : ''}; ` +
    `stderr: ${result.stderr.trim()}\nserial log tail:\n${tail}`
  );
}

// The guide's step 9: a copy-on-write overlay, 128G, backed by the cloud image.
const overlay = (guest: TestGuest, dir: string) =>
  qemuImg(['create', '-q', '-F', 'qcow2', '-b', guest.cloudImage, '-f', 'qcow2', join(dir, 'ubuntu0.img'), '128G']);

interface Case {
  sentence: string;
  arches: TestGuestArch[];
  prepare(guest: TestGuest, machine: Machine, dir: string): Promise<string[]>; // QEMU args after the machine's
  expected: string[];
}

const disk = `${GUEST_MARKERS.disk}/dev/* size=${DISK_BYTES}`;

const cases: Case[] = [
  {
    sentence: 'boots the live ISO from -cdrom with -bios; it reads its medium and sees the 128G install disk',
    arches: ['aarch64', 'x86_64'],
    async prepare(guest, machine, dir) {
      await qemuImg(['create', '-q', '-f', 'qcow2', join(dir, 'ubuntu.img'), '128G']);
      return [...machine.bios, '-cdrom', guest.liveIso, '-hda', 'ubuntu.img'];
    },
    expected: [GUEST_MARKERS.liveBooted, `${GUEST_MARKERS.liveMedium}/dev/*`, disk, GUEST_MARKERS.done],
  },
  {
    sentence: 'boots the cloud image from a 128G overlay with pflash firmware; it reads the cidata seed',
    arches: ['aarch64', 'x86_64'],
    async prepare(guest, machine, dir) {
      await overlay(guest, dir);
      const files = [
        { name: 'user-data', data: '#cloud-config\npassword: ubuntu\n' },
        { name: 'meta-data', data: 'instance-id: ubuntu0\nlocal-hostname: node-7\n' },
      ];
      await writeFile(join(dir, 'cidata.iso'), buildIso(files, { volumeId: 'cidata' }));
      return [...machine.pflash(dir), '-hda', 'ubuntu0.img', '-drive', 'file=cidata.iso,driver=raw,if=virtio'];
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
    sentence: 'boots the cloud image without a seed; it says cidata is missing and still powers off',
    arches: ['aarch64'],
    async prepare(guest, machine, dir) {
      await overlay(guest, dir);
      return [...machine.bios, '-hda', 'ubuntu0.img'];
    },
    expected: [GUEST_MARKERS.cloudBooted, disk, GUEST_MARKERS.cidataMissing, GUEST_MARKERS.done],
  },
];

for (const arch of ['aarch64', 'x86_64'] as const) {
  const test = suite(`${arch} test guests under plain QEMU`);
  const machine = machines[arch];
  const dirs: string[] = [];
  let guest: TestGuest;

  test.before(async () => {
    guest = await testGuest(arch);
  });

  test.after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  for (const c of cases.filter((c) => c.arches.includes(arch))) {
    test(c.sentence, async () => {
      const dir = await mkdtemp(join(tmpdir(), `kubenet-guest-${arch}-`));
      dirs.push(dir);
      await copyFile(machine.varsTemplate, join(dir, 'efivars.fd'));
      const result = await boot(machine, dir, await c.prepare(guest, machine, dir));
      assert.equal(withoutDevices(result.markers), c.expected, explain(result));
      assert.is(result.code, 0, explain(result));
    });
  }

  test.run();
}
