// The host's KVM: a host property no install can give, so the tests that need one kind skip
// (visibly, counted, in CI too) where the host is another. Three kinds occur on the machines this
// project runs on and on learners' machines: no /dev/kvm at all; a /dev/kvm served by kvm_pvm (a
// paravirtual KVM that runs only PVM-aware guest kernels: UEFI firmware either stops with "KVM
// internal error" while QEMU waits, or QEMU aborts at once with "failed to set MSR", depending on
// the kernel); and a KVM that runs the firmware. Read from the kernel's module list and from QEMU
// itself — never from kubenet's own probe, so that tests of the probe do not trust the probe.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const kvmPvmHost = (): boolean =>
  process.platform === 'linux' &&
  process.arch === 'x64' &&
  existsSync('/dev/kvm') &&
  existsSync('/sys/module/kvm_pvm') &&
  !existsSync('/sys/module/kvm_intel') &&
  !existsSync('/sys/module/kvm_amd');

export const needsKvmPvm =
  'needs an x86_64 host whose /dev/kvm is served by kvm_pvm (/sys/module/kvm_pvm, ' +
  'no kvm_intel/kvm_amd), where OVMF cannot run under accel=kvm';

const ovmf = '/usr/share/ovmf/OVMF.fd';

// What QEMU does with OVMF under accel=kvm here, in its own words. `stopped`: QEMU stayed up with
// the VM halted (it printed "KVM internal error"); otherwise it exited, and `said` is its first line.
export type KvmTruth = { works: true } | { works: false; stopped: boolean; said: string };

let truth: KvmTruth | undefined;

// Undefined without /dev/kvm, or without qemu-system-x86_64 and OVMF to ask (an x86_64 host only).
export function kvmTruth(): KvmTruth | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync('/dev/kvm') || !existsSync(ovmf))
    return undefined;
  if (truth) return truth;
  const args = [
    '-nodefaults',
    '-machine',
    'q35,accel=kvm',
    '-cpu',
    'host',
    '-m',
    '256M',
    '-bios',
    ovmf,
    '-display',
    'none',
  ];
  // Firmware that still runs after 3 s runs; a failure shows at once (an abort, or a halt QEMU reports on stderr).
  const r = spawnSync('qemu-system-x86_64', args, { encoding: 'utf8', timeout: 3_000, killSignal: 'SIGKILL' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  const said = (r.stderr ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  const stillRunning = r.signal === 'SIGKILL';
  if (stillRunning && !/KVM internal error/.test(r.stderr ?? '')) truth = { works: true };
  else
    truth = {
      works: false,
      stopped: stillRunning,
      said: said ?? `QEMU ended (code ${r.status}, signal ${r.signal}) and said nothing`,
    };
  return truth;
}

export const workingKvmHost = (): boolean => kvmTruth()?.works === true;
export const needsWorkingKvm =
  "needs an x86_64 host whose KVM runs UEFI firmware (a learner's Linux machine; not these CI machines)";

// A host without /dev/kvm: this one when it has none, else — as root, with unshare — a mount
// namespace whose /dev lacks kvm (test/helpers/without-dev-kvm.sh), made for one command.
const hideScript = fileURLToPath(new URL('../../../test/helpers/without-dev-kvm.sh', import.meta.url));
const canHide = (): boolean =>
  process.platform === 'linux' &&
  process.geteuid?.() === 0 &&
  spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']).status === 0;

export const noKvmHostPossible = (): boolean => process.platform === 'linux' && (!existsSync('/dev/kvm') || canHide());
export const needsNoKvm =
  'needs a Linux host without /dev/kvm, or root with unshare(1) to hide it in a mount namespace';

// The argv prefix that runs a command on a host without /dev/kvm ([] when this host has none).
export function withoutDevKvm(): string[] {
  if (!existsSync('/dev/kvm')) return [];
  return ['unshare', '--mount', '--propagation', 'private', '--', 'bash', hideScript];
}
