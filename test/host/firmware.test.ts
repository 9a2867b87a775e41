import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findFirmware } from '../../lib/host/firmware.js';
import { isKubenetError } from '../../lib/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('findFirmware');
let root: ReturnType<typeof tempDir>;
test.before.each(() => {
  root = tempDir();
});
test.after.each(() => root.remove());

const put = (rel: string, content = '') => {
  const path = join(root.path, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
};

function descriptor(
  rel: string,
  code: string,
  vars: string | undefined,
  features: string[],
  arch = 'aarch64',
  machines = ['virt-*'],
) {
  put(
    rel,
    JSON.stringify({
      'interface-types': ['uefi'],
      mapping: {
        device: 'flash',
        executable: { filename: code, format: 'raw' },
        ...(vars ? { 'nvram-template': { filename: vars, format: 'raw' } } : {}),
      },
      targets: [{ architecture: arch, machines }],
      features,
    }),
  );
}

// Debian's layout, with the Secure Boot descriptors sorting first (the trap in the notes).
function debianTree() {
  const code = put('usr/share/AAVMF/AAVMF_CODE.fd');
  const vars = put('usr/share/AAVMF/AAVMF_VARS.fd');
  const ms = put('usr/share/AAVMF/AAVMF_CODE.ms.fd');
  const sb = put('usr/share/AAVMF/AAVMF_CODE.secboot.fd');
  descriptor('usr/share/qemu/firmware/40-edk2-aarch64-secure-enrolled.json', ms, vars, [
    'enrolled-keys',
    'secure-boot',
  ]);
  descriptor('usr/share/qemu/firmware/50-edk2-aarch64-secure.json', sb, vars, ['secure-boot']);
  descriptor('usr/share/qemu/firmware/60-edk2-aarch64.json', code, vars, ['verbose-static']);
  const x86 = put('usr/share/OVMF/OVMF_CODE_4M.fd');
  const smm = put('usr/share/OVMF/OVMF_CODE_4M.secboot.fd');
  descriptor(
    'usr/share/qemu/firmware/50-edk2-x86_64-secure.json',
    smm,
    undefined,
    ['requires-smm', 'secure-boot'],
    'x86_64',
    ['pc-q35-*'],
  );
  descriptor(
    'usr/share/qemu/firmware/60-edk2-x86_64.json',
    x86,
    put('usr/share/OVMF/OVMF_VARS_4M.fd'),
    ['acpi-s3'],
    'x86_64',
    ['pc-i440fx-*', 'pc-q35-*'],
  );
  return { code, vars, x86 };
}

const env = (home: string) => ({ HOME: home });

test('skips Secure Boot and enrolled-keys descriptors and takes the plain one', () => {
  const { code, vars } = debianTree();
  const fw = findFirmware({
    guestArch: 'aarch64',
    hostOs: 'linux',
    root: root.path,
    env: env(join(root.path, 'home')),
  });
  assert.is(fw.mode, 'pflash');
  assert.is(fw.code, code);
  assert.is(fw.vars, vars);
  assert.is(fw.source, 'descriptor');
  assert.match(fw.why, '60-edk2-aarch64.json');
  assert.match(fw.why, 'skipped 40-edk2-aarch64-secure-enrolled.json');
});

test('skips requires-smm descriptors for x86_64', () => {
  const { x86 } = debianTree();
  const fw = findFirmware({ guestArch: 'x86_64', hostOs: 'linux', root: root.path, env: env(join(root.path, 'home')) });
  assert.is(fw.code, x86);
});

test('a user descriptor of the same name overrides the system one', () => {
  debianTree();
  const mine = put('home/.config/qemu/firmware-files/mine.fd');
  descriptor('home/.config/qemu/firmware/60-edk2-aarch64.json', mine, undefined, []);
  const fw = findFirmware({
    guestArch: 'aarch64',
    hostOs: 'linux',
    root: root.path,
    env: env(join(root.path, 'home')),
  });
  assert.is(fw.code, mine);
});

test('a descriptor pointing at a missing file is passed over', () => {
  descriptor('usr/share/qemu/firmware/60-edk2-aarch64.json', join(root.path, 'nowhere.fd'), undefined, []);
  const bios = put('usr/share/qemu-efi-aarch64/QEMU_EFI.fd');
  const fw = findFirmware({ guestArch: 'aarch64', hostOs: 'linux', root: root.path, env: env(root.path) });
  assert.equal([fw.mode, fw.code, fw.source], ['bios', bios, 'distro']);
});

test("uses Homebrew's prefix path, not the versioned Cellar path", () => {
  const prefix = join(root.path, 'opt/homebrew');
  const code = put('opt/homebrew/share/qemu/edk2-aarch64-code.fd');
  put('opt/homebrew/Cellar/qemu/8.2.0/share/qemu/edk2-aarch64-code.fd');
  const fw = findFirmware({
    guestArch: 'aarch64',
    hostOs: 'darwin',
    root: root.path,
    env: env(root.path),
    brewPrefix: prefix,
  });
  assert.equal([fw.mode, fw.code, fw.source], ['bios', code, 'homebrew']);
  assert.not.match(fw.code, 'Cellar');
});

test("falls back to distro paths, the guide's OVMF.fd first", () => {
  const guide = put('usr/share/qemu/OVMF.fd');
  put('usr/share/ovmf/OVMF.fd');
  const fw = findFirmware({ guestArch: 'x86_64', hostOs: 'linux', root: root.path, env: env(root.path) });
  assert.equal([fw.mode, fw.code], ['bios', guide]);
});

test('missing firmware says how to install it', () => {
  try {
    findFirmware({ guestArch: 'aarch64', hostOs: 'linux', root: root.path, env: env(root.path) });
    assert.unreachable();
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.hint ?? '', 'apt-get install qemu-efi-aarch64');
  }
});

test('--firmware overrides discovery', () => {
  debianTree();
  const mine = put('my.fd');
  const fw = findFirmware({
    guestArch: 'aarch64',
    hostOs: 'linux',
    root: root.path,
    env: env(root.path),
    override: mine,
  });
  assert.equal([fw.mode, fw.code, fw.source], ['bios', mine, 'override']);
});

// The real Debian install (CI installs qemu-efi-aarch64 and ovmf).
const real = suite('findFirmware on this machine');
real("finds the plain AAVMF build through Debian's descriptors", () => {
  if (
    skipUnless(
      existsSync('/usr/share/qemu/firmware/60-edk2-aarch64.json'),
      'no Debian firmware descriptors here (apt-get install qemu-efi-aarch64)',
    )
  )
    return;
  const fw = findFirmware({ guestArch: 'aarch64', hostOs: 'linux', env: { HOME: '/nonexistent' } });
  assert.is(fw.code, '/usr/share/AAVMF/AAVMF_CODE.fd');
  assert.is(fw.vars, '/usr/share/AAVMF/AAVMF_VARS.fd');
  assert.not.match(fw.code, /secboot|\.ms\./);
});
real('finds non-SMM OVMF for x86_64', () => {
  if (
    skipUnless(
      existsSync('/usr/share/qemu/firmware/60-edk2-x86_64.json'),
      'no OVMF descriptors here (apt-get install ovmf)',
    )
  )
    return;
  const fw = findFirmware({ guestArch: 'x86_64', hostOs: 'linux', env: { HOME: '/nonexistent' } });
  assert.is(fw.code, '/usr/share/OVMF/OVMF_CODE_4M.fd');
});

test.run();
real.run();
