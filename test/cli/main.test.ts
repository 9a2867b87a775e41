import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, statSync, mkdirSync, writeFileSync, symlinkSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenet } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { which } from '../../lib/host/which.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('kubenet CLI');
let dir: ReturnType<typeof tempDir>;
let images: string;
test.before.each(() => {
  dir = tempDir();
  images = join(dir.path, 'images');
});
test.after.each(() => dir.remove());

const hasQemu = Boolean(which('qemu-system-aarch64') && which('qemu-img'));
const noAnsi = (s: string) => assert.not.match(s, /\u001b\[/, 'no ANSI codes without a TTY');

// What QEMU's own firmware descriptors on this host list as UEFI for `arch` without Secure Boot,
// read here independently of kubenet's reader.
function plainUefiFirmware(arch: string): string[] {
  const dir = '/usr/share/qemu/firmware';
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const d = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      'interface-types': string[];
      mapping: { executable?: { filename: string } };
      targets: { architecture: string }[];
      features: string[];
    };
    const plain =
      d['interface-types'].includes('uefi') &&
      !d.features.includes('secure-boot') &&
      !d.features.includes('enrolled-keys');
    return plain && d.targets.some((t) => t.architecture === arch) && d.mapping.executable
      ? [d.mapping.executable.filename]
      : [];
  });
}

// Every file under a folder with its size and mtime: what "changes nothing" compares.
function snapshot(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.push(`${p} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(root);
  return out.sort();
}

test('--help lists the commands and tasks and exits 0', () => {
  const r = kubenet(['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, 'kubenet run <task');
  assert.match(r.stdout, '00-qemu');
});

test('help run documents the options', () => {
  const r = kubenet(['help', 'run']);
  assert.is(r.code, 0);
  for (const flag of ['--dry-run', '--force', '--arch', '--mirror', '--until', '--timeout', '--headless', '--detach'])
    assert.match(r.stdout, flag);
});

test('help stop and help status document theirs', () => {
  const stop = kubenet(['help', 'stop']);
  assert.is(stop.code, 0);
  for (const text of ['--all', '--grace SECONDS', 'ACPI', 'exit 0']) assert.match(stop.stdout, text);
  const status = kubenet(['help', 'status']);
  assert.is(status.code, 0);
  for (const text of ['--json', 'run state', 'detached']) assert.match(status.stdout, text);
});

test('an unknown task exits 2 and suggests the nearest', () => {
  const r = kubenet(['run', 'qemo', '--images', images]);
  assert.is(r.code, 2);
  assert.match(r.stderr, '"qemo" is not a task, a step or a download: did you mean 00-qemu?');
  noAnsi(r.stderr);
});

test('an unknown command exits 2', () => {
  const r = kubenet(['rnu', '00-qemu']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'did you mean run');
});

test('a bad option value exits 2 and names the choices', () => {
  const r = kubenet(['run', '00-qemu', '--arch', 'mips']);
  assert.is(r.code, 2);
  assert.match(r.stderr, 'aarch64, x86_64');
});

test('missing QEMU exits 10 with the install command', () => {
  const bin = join(dir.path, 'bin');
  mkdirSync(bin);
  const r = kubenet(['run', '00-qemu', '--arch', 'aarch64', '--images', images], { env: { PATH: bin } });
  assert.is(r.code, 10);
  assert.match(r.stderr, 'qemu-system-aarch64 not found on PATH');
  assert.match(r.stderr, 'apt-get install qemu-system-arm qemu-utils qemu-efi-aarch64');
});

test('00-qemu records the facts, then is up to date', () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  const first = kubenet(['run', '00-qemu', '--arch', 'aarch64', '--images', images]);
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, /QEMU_VERSION=\d+\.\d+/);
  // An aarch64 guest on an x86_64 host can only be emulated; elsewhere the probe decides.
  assert.match(first.stdout, process.arch === 'x64' ? 'accelerator: tcg' : /accelerator: (hvf|kvm|tcg)/);
  noAnsi(first.stdout);
  const facts = JSON.parse(readFileSync(join(images, 'qemu.json'), 'utf8'));
  assert.is(facts.profile.guestArch, 'aarch64');
  const listed = plainUefiFirmware('aarch64');
  if (listed.length > 0)
    assert.ok(
      listed.includes(facts.firmware.code),
      `${facts.firmware.code} is one of QEMU's descriptors' plain UEFI images: ${listed.join(', ')}`,
    );
  else assert.ok(existsSync(facts.firmware.code), facts.firmware.code);
  const second = kubenet(['run', '00-qemu', '--arch', 'aarch64', '--images', images]);
  assert.is(second.code, 0);
  assert.match(second.stdout, '00-qemu: up to date');
  const list = JSON.parse(kubenet(['list', '--json', '--arch', 'aarch64', '--images', images]).stdout).tasks;
  assert.equal(list.find((t: { name: string }) => t.name === '00-qemu').status, 'done');
});

test('00-qemu is stale when the QEMU binary changes', () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  // A PATH of our own whose qemu-system-aarch64 we can replace.
  const bin = join(dir.path, 'bin');
  mkdirSync(bin);
  symlinkSync(which('qemu-img')!, join(bin, 'qemu-img'));
  const wrapper = join(bin, 'qemu-system-aarch64');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${which('qemu-system-aarch64')} "$@"\n`, { mode: 0o755 });
  const env = { PATH: `${bin}:/usr/bin:/bin` };
  assert.is(kubenet(['run', '00-qemu', '--arch', 'aarch64', '--images', images], { env }).code, 0);
  writeFileSync(wrapper, `#!/bin/sh\n# upgraded\nexec ${which('qemu-system-aarch64')} "$@"\n`, { mode: 0o755 });
  const list = JSON.parse(kubenet(['list', '--json', '--arch', 'aarch64', '--images', images], { env }).stdout).tasks;
  const q = list.find((t: { name: string }) => t.name === '00-qemu');
  assert.is(q.status, 'stale');
  assert.match(q.reason, 'qemu-system-aarch64');
});

test('--dry-run prints the commands and leaves images/ untouched', () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  mkdirSync(images);
  writeFileSync(join(images, 'keep.txt'), 'user file');
  const before = snapshot(images);
  const r = kubenet(['run', '00-qemu', '--arch', 'aarch64', '--dry-run', '--images', images]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, '$ qemu-system-aarch64 --version\n');
  assert.equal(snapshot(images), before);
});

test("--dry-run of the whole chapter prints the guide's commands and creates nothing", () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  const r = kubenet(['run', '02-live-cd', '03-cloud-image', '--arch', 'aarch64', '--dry-run', '--images', images], {
    env: { HOME: join(dir.path, 'home') },
  });
  assert.is(r.code, 0, r.stderr);
  for (const line of [
    // the guide's is gone (issue 18 §1)
    '$ wget https://cdimage.ubuntu.com/releases/22.04/release/ubuntu-22.04.N-live-server-arm64.iso',
    '$ qemu-img create -f qcow2 ubuntu.img 128G',
    '$ wget https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img',
    '$ qemu-img create -F qcow2 -b jammy-server-cloudimg-arm64.img -f qcow2 ubuntu0.img 128G',
    '$ mkisofs -output cidata.iso -volid cidata -joliet -rock cloud-init/user-data cloud-init/meta-data',
    '    -drive file=cidata.iso,driver=raw,if=virtio',
    // The disk step: the Linux edition's is its network step plus the disk; the macOS edition's
    // keeps step 7's devices after it.
    process.platform === 'darwin'
      ? '    -hda ubuntu.img \\\n    -device virtio-gpu-pci \\'
      : '    -nic user \\\n    -hda ubuntu.img\n',
  ])
    assert.ok(r.stdout.includes(line), `prints ${line}`);
  assert.not.ok(existsSync(images), 'images/ was not even created');
});

test.run();
