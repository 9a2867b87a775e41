// A real QEMU that needs no guest: aarch64 `virt` under TCG with the 2 MiB UEFI firmware, which
// prints to the serial console and ends in the UEFI shell. Tests hand-write this argv.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePaths, type Paths } from '../../lib/paths.js';
import { processAlive } from '../../lib/process/pid-state.js';
import { readPid } from '../../lib/vm/process-probe.js';

export const firmware = '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd';
export const qemuExe = 'qemu-system-aarch64';

// What the firmware prints: an early banner, then the shell prompt (~6–12 s under TCG).
export const banner = /UEFI firmware/;
export const shellPrompt = /Shell>|UEFI Interactive Shell/;

// Whether a VM's serial log shows the firmware's banner yet (read from outside, as a probe would).
export const bannerShown = async (paths: Paths, vm: string): Promise<boolean> =>
  banner.test(await readFile(paths.vmFile(vm, 'serial.log'), 'utf8').catch(() => ''));

export interface TempImages {
  root: string;
  paths: Paths;
  cleanup(): Promise<void>;
}

export async function tempImages(): Promise<TempImages> {
  const root = await mkdtemp(join(tmpdir(), 'kubenet-vm-'));
  return { root, paths: makePaths(root), cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function firmwareArgs(paths: Paths, vm: string, extra: string[] = []): string[] {
  return [
    '-machine',
    'virt,accel=tcg',
    '-cpu',
    'max,pauth-impdef=on',
    '-m',
    '256M',
    '-nodefaults',
    '-bios',
    firmware,
    '-display',
    'none',
    '-serial',
    `file:${paths.vmFile(vm, 'serial.log')}`,
    '-qmp',
    `unix:${paths.vmFile(vm, 'qmp.sock')},server=on,wait=off`,
    ...extra,
  ];
}

// Options for runVm with the firmware argv; tests override what they exercise.
export function firmwareRun(images: TempImages, vm: string, extra: string[] = []) {
  return {
    vm,
    command: { exe: qemuExe, args: firmwareArgs(images.paths, vm, extra), sudo: false },
    cwd: images.root,
    paths: images.paths,
    serialLog: images.paths.vmFile(vm, 'serial.log'),
    qmpSocket: images.paths.vmFile(vm, 'qmp.sock'),
    interactive: false,
    graceMs: 1000,
  };
}

// Kills whatever QEMU a failed test left behind (its pid file still names it).
export async function killLeftover(paths: Paths, vm: string): Promise<void> {
  const pid = await readPid(paths.vmFile(vm, 'pid'));
  if (pid !== undefined && processAlive(pid)) process.kill(pid, 'SIGKILL');
}

// Polls until `check` is true or `ms` pass; returns the last answer (no timing assert).
export async function eventually(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
