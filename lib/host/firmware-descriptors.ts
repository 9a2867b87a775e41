// QEMU's firmware descriptors (docs/interop/firmware.json): the distro's own statement of which
// UEFI build to use. Lookup order and override rule follow QEMU's spec: a later folder's file of
// the same name replaces an earlier one, then files are taken in name order.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from '../fs/json-file.js';
import type { FirmwareChoice, GuestArch } from './types.js';

// Features a plain unsigned guest cannot live with: Secure Boot firmware answers "Access Denied"
// and then waits forever, and requires-smm needs a machine option we do not pass.
const unwanted = ['secure-boot', 'enrolled-keys', 'requires-smm'];

interface Descriptor {
  'interface-types'?: string[];
  mapping?: {
    device?: string;
    filename?: string;
    executable?: { filename?: string };
    'nvram-template'?: { filename?: string };
  };
  targets?: { architecture?: string; machines?: string[] }[];
  features?: string[];
}

export function descriptorDirs(env: NodeJS.ProcessEnv, root = '/'): string[] {
  const home = env.HOME ?? '/root';
  const xdg = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return [join(root, 'usr/share/qemu/firmware'), join(root, 'etc/qemu/firmware'), join(xdg, 'qemu/firmware')];
}

const machineMatches = (patterns: string[], machine: string) =>
  patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(machine));

// The machine type names descriptors are written against (versioned names like pc-q35-7.2).
const machineName = (arch: GuestArch) => (arch === 'aarch64' ? 'virt-9.0' : 'pc-q35-9.0');

export function fromDescriptors(
  arch: GuestArch,
  dirs: string[],
  exists: (path: string) => boolean = existsSync,
): FirmwareChoice | undefined {
  const files = new Map<string, string>();
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith('.json')) files.set(name, join(dir, name));
  }
  const skipped: string[] = [];
  for (const name of [...files.keys()].sort()) {
    const path = files.get(name)!;
    const d = readJson<Descriptor>(path);
    if (!d) continue; // an unreadable descriptor is not ours to fix; try the next
    if (!d['interface-types']?.includes('uefi')) continue;
    if (!d.targets?.some((t) => t.architecture === arch && machineMatches(t.machines ?? [], machineName(arch))))
      continue;
    const bad = (d.features ?? []).filter((f) => unwanted.includes(f));
    if (bad.length) {
      skipped.push(`${name} (${bad.join(', ')})`);
      continue;
    }
    const m = d.mapping ?? {};
    const skippedNote = skipped.length ? `; skipped ${skipped.join(', ')}` : '';
    if (m.device === 'flash' && m.executable?.filename && exists(m.executable.filename)) {
      const vars = m['nvram-template']?.filename;
      return {
        mode: 'pflash',
        code: m.executable.filename,
        ...(vars && exists(vars) ? { vars } : {}),
        source: 'descriptor',
        why: `QEMU firmware descriptor ${path}${skippedNote}`,
      };
    }
    if (m.device === 'memory' && m.filename && exists(m.filename)) {
      return {
        mode: 'bios',
        code: m.filename,
        source: 'descriptor',
        why: `QEMU firmware descriptor ${path}${skippedNote}`,
      };
    }
  }
  return undefined;
}
