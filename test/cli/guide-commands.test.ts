// The CLI of issue 6 on this host: `run <task> --step N --dry-run` prints a step's argv (with
// recorded facts, and with this host's own resolved firmware), `guide` shows progress from
// images/, `explain` explains a step.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFacts } from '../../lib/host-probe/detect.js';
import { detectProfile } from '../../lib/host/profile.js';
import type { QemuFacts } from '../../lib/host/types.js';
import { which } from '../../lib/host/which.js';
import { bootOf } from '../helpers/chapter-tasks.js';
import { kubenet } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('kubenet run --step, guide, explain');
let dir: ReturnType<typeof tempDir>;
let images: string;
test.before.each(() => {
  dir = tempDir();
  images = join(dir.path, 'images');
});
test.after.each(() => dir.remove());

const hasQemu = Boolean(which('qemu-system-aarch64') && which('qemu-system-x86_64') && which('qemu-img'));
const linuxX86 = process.platform === 'linux' && process.arch === 'x64';

// The QEMU commands a dry run printed, back as argv (the printed form is `$ [sudo] exe \` then one option per line).
function printedQemu(stdout: string): string[][] {
  const out: string[][] = [];
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\$ (sudo )?qemu-system-\S+ \\$/.test(lines[i]!)) continue; // a boot, not `qemu-system-… --version`
    const words: string[] = [];
    let line = lines[i]!.slice(2);
    for (;;) {
      const more = line.endsWith(' \\');
      words.push(...line.replace(/ \\$/, '').trim().split(/\s+/));
      if (!more) break;
      line = lines[++i]!;
    }
    out.push(words);
  }
  return out;
}

function recordFacts(facts: Omit<QemuFacts, 'qemu' | 'qemuImg' | 'version' | 'semver'>): void {
  mkdirSync(images, { recursive: true });
  const full: QemuFacts = {
    qemu: '/usr/bin/qemu',
    qemuImg: '/usr/bin/qemu-img',
    version: '7.2.22',
    semver: [7, 2, 22],
    ...facts,
  };
  writeFileSync(join(images, 'qemu.json'), JSON.stringify(full));
}

const ovmf = '/usr/share/qemu/OVMF.fd';
// (What run N --dry-run prints for every step, against the guide's own text: guide-text.test.ts.)

test(
  'run disk and run 9 --dry-run print the wget and qemu-img lines: ' +
    "the live ISO found in place of the guide's, said with why",
  () => {
    if (skipUnless(hasQemu, 'QEMU is not installed')) return;
    const eight = kubenet(['run', 'disk', '--dry-run', '--arch', 'aarch64', '--images', images]);
    assert.match(
      eight.stdout,
      /^\$ wget https:\/\/cdimage\.ubuntu\.com\/releases\/22\.04\/release\/ubuntu-22\.04\.N-live-server-arm64\.iso /m,
    );
    assert.match(
      eight.stdout,
      new RegExp(
        /^# {3}not the guide's jammy-desktop-arm64\.iso: Ubuntu stopped publishing jammy's daily-live builds /.source +
          /\(the guide's issue #19\); kubenet asks the guide's URL first/.source,
        'm',
      ),
    );
    assert.match(eight.stdout, /^ +-cdrom ubuntu-22\.04\.N-live-server-arm64\.iso \\$/m);
    assert.match(eight.stdout, /^\$ qemu-img create -f qcow2 ubuntu\.img 128G$/m);
    const nine = kubenet(['run', '03', '--step', '9', '--dry-run', '--arch', 'aarch64', '--images', images]);
    assert.match(
      nine.stdout,
      /^\$ qemu-img create -F qcow2 -b jammy-server-cloudimg-arm64\.img -f qcow2 ubuntu0\.img 128G$/m,
    );
    assert.equal(printedQemu(nine.stdout), [], 'step 9 boots nothing');
  },
);

test(
  'the steps before the live CD download nothing: run ' + "01-machine --dry-run prints the guide's first commands only",
  async () => {
    if (skipUnless(hasQemu && linuxX86, 'needs a Linux x86_64 host with QEMU')) return;
    recordFacts({
      profile: detectProfile('x86_64'),
      firmware: { mode: 'bios', code: ovmf, source: 'distro', why: "the guide's path" },
      accel: { accel: 'kvm', why: 'test' },
    });
    for (const word of ['bare-machine', '2', 'hard-way', '01-machine']) {
      const r = kubenet(['run', word, '--dry-run', '--arch', 'x86_64', '--images', images]);
      assert.is(r.code, 0, r.stderr);
      assert.not.match(r.stdout, 'wget', word);
    }
    const r = kubenet(['run', '01-machine', '--dry-run', '--arch', 'x86_64', '--images', images]);
    const four = await bootOf(4, {
      hostOs: 'linux',
      arch: 'x86_64',
      accel: 'kvm',
      firmware: { mode: 'bios', code: ovmf },
    });
    assert.equal(printedQemu(r.stdout), [[four.exe, ...four.args]]);
    assert.match(r.stdout, /^\$ qemu-system-x86_64 --version$/m, 'step 1 first: QEMU_VERSION');
    assert.match(r.stdout, 'kubenet changes, so it can watch and stop the VM', 'and what kubenet adds, apart');
  },
);

test("arm64 guests on this host: the guide's steps with tcg, -cpu max and user networking", () => {
  if (skipUnless(hasQemu && linuxX86, 'needs a Linux x86_64 host with QEMU')) return;
  const fw = '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd';
  recordFacts({
    profile: detectProfile('aarch64'),
    firmware: { mode: 'bios', code: fw, source: 'distro', why: 'test' },
    accel: { accel: 'tcg', why: 'test' },
  });
  const three = kubenet(['run', 'hard-way', '--dry-run', '--arch', 'aarch64', '--images', images]);
  assert.equal(printedQemu(three.stdout), [
    [
      'qemu-system-aarch64',
      '-nodefaults',
      '-machine',
      'virt,accel=tcg',
      '-cpu',
      'max,pauth-impdef=on',
      '-chardev',
      'vc,id=monitor',
      '-mon',
      'monitor',
      '-serial',
      'vc',
    ],
  ]);
  const eleven = kubenet(['run', 'cloud-init', '--dry-run', '--arch', 'aarch64', '--images', images]);
  assert.equal(printedQemu(eleven.stdout), [
    [
      'qemu-system-aarch64',
      '-nographic',
      '-machine',
      'virt,accel=tcg,highmem=on',
      '-cpu',
      'max,pauth-impdef=on',
      '-smp',
      '2',
      '-m',
      '2G',
      '-bios',
      fw,
      '-nic',
      'user',
      '-hda',
      'ubuntu0.img',
      '-drive',
      'file=cidata.iso,driver=raw,if=virtio',
    ],
  ]);
});

test('without recorded facts, --dry-run shows the firmware this host resolves', async () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  const profile = detectProfile('aarch64');
  const facts = await detectFacts({ profile });
  const want = await bootOf(4, {
    hostOs: profile.hostOs,
    arch: 'aarch64',
    accel: facts.accel.accel,
    firmware: facts.firmware,
  });
  const r = kubenet(['run', 'uefi', '--dry-run', '--arch', 'aarch64', '--images', images]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(printedQemu(r.stdout), [[want.exe, ...want.args]]);
  assert.ok(
    want.args.some((a) => a.includes(facts.firmware.code)),
    'the resolved firmware file is on the command line',
  );
});

test('kubenet guide reads progress from images/', () => {
  mkdirSync(join(images, 'vm', 'machine'), { recursive: true });
  writeFileSync(join(images, 'vm', 'machine', 'serial.log'), 'booted\n');
  writeFileSync(join(images, 'ubuntu.img'), '');
  const r = kubenet(['guide', '--arch', 'aarch64', '--images', images]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ 2 {2}A bare machine +kubenet run bare-machine +booted before$/m);
  assert.match(r.stdout, /^ 8 {2}Disk +kubenet run disk +done$/m);
  assert.match(r.stdout, /^Next: kubenet run 00-qemu /m);
  const json = JSON.parse(kubenet(['guide', '--json', '--arch', 'aarch64', '--images', images]).stdout) as {
    step: number;
    state: string;
  }[];
  assert.equal(
    json.map((s) => s.step),
    Array.from({ length: 36 }, (_, i) => i + 1),
    'chapter 1, then chapters 2, 3 and 4',
  );
});

test('list, guide and a run say which steps are in one edition only, and which edition this host follows', () => {
  const list = kubenet(['list', '--arch', 'x86_64', '--images', images]);
  assert.is(list.code, 0, list.stderr);
  assert.match(
    list.stdout,
    /^ {5}7 {2}graphics +Graphics and peripherals \[macOS edition only\] {2}\(needs live-iso\)$/m,
  );
  assert.match(list.stdout, /^ {4}15 {2}bridge +Virtual bridge \[Linux edition only\]$/m);
  const json = JSON.parse(kubenet(['list', '--json', '--arch', 'x86_64', '--images', images]).stdout) as {
    tasks: { steps: { step?: number; onlyIn?: string }[] }[];
  };
  assert.equal(
    json.tasks.flatMap((t) => t.steps.filter((s) => s.onlyIn).map((s) => s.step)),
    [1, 7, 15, 16, 17, 18, undefined, undefined, undefined],
  );
  const guide = kubenet(['guide', '--arch', 'x86_64', '--images', images]);
  assert.match(guide.stdout, /host following the (Linux|macOS) edition, x86_64 guests/);
  assert.match(guide.stdout, /^ 7 {2}Graphics and peripherals .* — macOS edition only$/m);
  if (process.platform !== 'linux') return;
  const run = kubenet(['run', 'graphics', '--dry-run', '--arch', 'x86_64', '--images', images]);
  assert.match(
    run.stdout,
    '02-live-cd: Step 7 (Graphics and peripherals) is in the macOS edition only: the Linux ' +
      'edition goes from the network straight to the disk, with no graphics or peripheral ' +
      "devices; this host follows the Linux edition: kubenet runs the macOS edition's step here",
  );
  const disk = kubenet(['run', 'disk', '--dry-run', '--arch', 'x86_64', '--images', images]);
  const said = disk.stdout.split('\n').filter((l) => l.includes('edition only'));
  assert.equal(
    said.map((l) => l.split(':')[0]),
    ['  00-qemu'],
    'step 1, which a run does first, says so; step 8, in both editions, says nothing',
  );
});

test("kubenet explain network explains every option of this host's command", () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  const r = kubenet(['explain', 'network', '--arch', 'aarch64', '--images', images]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'The guide (darwin-aarch64):');
  assert.match(r.stdout, 'Where this host differs from the guide, and why:');
  assert.match(r.stdout, '  -nic user\n');
  assert.not.match(r.stdout, 'no explanation yet');
});

const usage: [string[], RegExp][] = [
  [['explain'], /explain needs a task, a step, or --step N/],
  [['explain', '03', '--step', '5'], /03-cloud-image has no step 5/],
  [['explain', '--step', '99'], /no task has a step 99/],
  [['run', '02-live-cd', '--step', '99'], /02-live-cd has no step 99/],
  [['list', '--until', 'foo'], /kubenet list does not take --until/],
  [['run', '03', '--json'], /kubenet run does not take --json/],
  [['run', '03', '--frobnicate'], /kubenet run does not take --frobnicate/],
];
for (const [args, message] of usage) {
  test(`kubenet ${args.join(' ')} is a usage error`, () => {
    const r = kubenet([...args, '--images', images]);
    assert.is(r.code, 2);
    assert.match(r.stderr, message);
  });
}

test('kubenet explain of a download names what it downloads', () => {
  const r = kubenet(['explain', 'cloud-img', '--arch', 'x86_64', '--images', images]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-amd64.img');
});

test.run();
