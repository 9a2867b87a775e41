// The UEFI firmware: QEMU's descriptors first, then Homebrew's prefix path (stable across
// `brew upgrade`, unlike the guide's Cellar/${QEMU_VERSION} path), then well-known distro paths.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { descriptorDirs, fromDescriptors } from './firmware-descriptors.js';
import { installHint } from './install-hint.js';
import type { FirmwareChoice, GuestArch, HostOs } from './types.js';

export interface FirmwareInput {
  guestArch: GuestArch;
  hostOs: HostOs;
  env?: NodeJS.ProcessEnv;
  override?: string; // --firmware FILE
  brewPrefix?: string; // `brew --prefix`, when Homebrew is there
  root?: string; // a fake file system root, for tests
  exists?: (path: string) => boolean;
}

const distro: Record<GuestArch, { code: string; vars?: string }[]> = {
  aarch64: [
    { code: 'usr/share/AAVMF/AAVMF_CODE.fd', vars: 'usr/share/AAVMF/AAVMF_VARS.fd' }, // Debian, Ubuntu
    { code: 'usr/share/qemu-efi-aarch64/QEMU_EFI.fd' }, // Debian, Ubuntu (-bios size)
    { code: 'usr/share/edk2/aarch64/QEMU_EFI.fd' }, // Fedora
    { code: 'usr/share/edk2-armvirt/aarch64/QEMU_EFI.fd' }, // Arch
    { code: 'usr/share/qemu/edk2-aarch64-code.fd' }, // QEMU's own install
  ],
  x86_64: [
    { code: 'usr/share/qemu/OVMF.fd' }, // the guide's path
    { code: 'usr/share/ovmf/OVMF.fd' }, // Debian, Ubuntu
    { code: 'usr/share/edk2/ovmf/OVMF_CODE.fd', vars: 'usr/share/edk2/ovmf/OVMF_VARS.fd' }, // Fedora
    { code: 'usr/share/edk2/x64/OVMF.fd' }, // Arch
    { code: 'usr/share/qemu/edk2-x86_64-code.fd' }, // QEMU's own install
  ],
};

export function findFirmware(input: FirmwareInput): FirmwareChoice {
  const { guestArch, hostOs, env = process.env, root = '/' } = input;
  const exists = input.exists ?? existsSync;
  if (input.override) {
    if (!exists(input.override)) {
      throw new KubenetError(`--firmware ${input.override}: no such file`, {
        code: ExitCode.host,
        hint: 'give the path of a UEFI firmware image (.fd)',
      });
    }
    return { mode: 'bios', code: input.override, source: 'override', why: '--firmware' };
  }
  const described = fromDescriptors(guestArch, descriptorDirs(env, root), exists);
  if (described) return described;
  if (input.brewPrefix) {
    const code = join(input.brewPrefix, 'share/qemu', `edk2-${guestArch}-code.fd`);
    if (exists(code)) {
      return {
        mode: 'bios',
        code,
        source: 'homebrew',
        why: `Homebrew's ${code} (stable across brew upgrade, unlike the Cellar path)`,
      };
    }
  }
  for (const candidate of distro[guestArch]) {
    const code = join(root, candidate.code);
    if (!exists(code)) continue;
    const vars = candidate.vars ? join(root, candidate.vars) : undefined;
    if (vars && exists(vars)) return { mode: 'pflash', code, vars, source: 'distro', why: `distro firmware ${code}` };
    return { mode: 'bios', code, source: 'distro', why: `distro firmware ${code}` };
  }
  throw new KubenetError(`no UEFI firmware for ${guestArch} guests found`, {
    code: ExitCode.host,
    hint: `install it: ${installHint(hostOs, guestArch, 'firmware')} — or pass --firmware FILE`,
  });
}
