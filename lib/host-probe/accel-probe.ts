// Whether kvm (or hvf) can run a VM here, asked the only way that tells the truth: start the
// UEFI firmware under it, headless, and see whether it keeps running. /dev/kvm can open fine and
// still fail at the first instruction (kvm_pvm: "KVM internal error … emulation failure", after
// which QEMU waits with the VM stopped). Bounded: a failure shows in well under a second, a
// healthy accelerator costs `settleMs`, and nothing takes longer than `boundMs`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { escapeOptValue } from '../qemu/qemu-args.js';
import { findSetpriv } from '../vm/find-setpriv.js';
import { watchRunState, type Halt, type RunStateWatch } from '../vm/run-state-watch.js';
import { spawnQemu, type SpawnedQemu } from '../vm/spawn-qemu.js';
import type { Accel, AccelProbe, FirmwareChoice, GuestArch } from '../host/types.js';

export interface ProbeInput {
  qemu: string; // absolute path of qemu-system-<arch>
  guestArch: GuestArch;
  accel: Accel; // kvm or hvf
  firmware: FirmwareChoice;
  settleMs?: number; // running this long after QMP answered counts as usable
  boundMs?: number; // the whole probe, QEMU's start included
}

const probeSettleMs = 1500;
const probeBoundMs = 5000;
const exitSeenMs = 1000;

type Outcome =
  | { kind: 'ran' }
  | { kind: 'halted'; halt: Halt }
  | { kind: 'exited' }
  | { kind: 'no-qmp' }
  | { kind: 'late' };

export async function probeAccel({
  qemu,
  guestArch,
  accel,
  firmware,
  settleMs = probeSettleMs,
  boundMs = probeBoundMs,
}: ProbeInput): Promise<AccelProbe> {
  const started = performance.now();
  const verdict = (v: AccelProbe['verdict'], reason: string): AccelProbe => ({
    accel,
    verdict: v,
    reason,
    ms: Math.round(performance.now() - started),
  });
  const dir = await mkdtemp(join(tmpdir(), 'kubenet-probe-'));
  const socket = join(dir, 'qmp.sock');
  const timers = new AbortController();
  let vm: SpawnedQemu | undefined;
  let watch: RunStateWatch | undefined;
  try {
    vm = await spawnQemu({
      command: {
        exe: qemu,
        args: [
          '-nodefaults',
          '-machine',
          `${guestArch === 'aarch64' ? 'virt' : 'q35'},accel=${accel}`,
          '-cpu',
          accel === 'tcg' ? 'max' : 'host', // tcg: only tests probe it
          '-m',
          '256M',
          // The code alone: the probe must not need (or write) a variables store.
          ...(firmware.mode === 'bios'
            ? ['-bios', firmware.code]
            : ['-drive', `if=pflash,readonly=on,format=raw,file=${escapeOptValue(firmware.code)}`]),
          '-display',
          'none',
          '-qmp',
          `unix:${escapeOptValue(socket)},server=on,wait=off`,
        ],
      },
      cwd: dir,
      interactive: false,
      setpriv: await findSetpriv(),
      stderrFile: join(dir, 'qemu.stderr'),
    });
    watch = watchRunState({ socket, exited: vm.exited, connectMs: boundMs, answerMs: boundMs });
    const after = (ms: number, outcome: Outcome): Promise<Outcome> =>
      delay(ms, outcome, { signal: timers.signal }).catch(() => new Promise<never>(() => undefined));
    const outcome = await Promise.race<Outcome>([
      vm.exited.then(() => ({ kind: 'exited' })),
      watch.halted.then((halt) => ({ kind: 'halted', halt })),
      watch.connected.then((ok) => (ok ? after(settleMs, { kind: 'ran' }) : { kind: 'no-qmp' })),
      after(boundMs, { kind: 'late' }),
    ]);
    watch.close();
    // QMP that fails to connect is most often a QEMU on its way out (an abort as KVM refuses the
    // vCPU): give its exit a moment to be seen, rather than calling the verdict unknown.
    if (outcome.kind === 'no-qmp')
      await Promise.race([vm.exited, delay(exitSeenMs, undefined, { signal: timers.signal }).catch(() => undefined)]);
    const exitedByItself = vm.hasExited();
    vm.kill('SIGKILL'); // no disks to flush: the firmware alone
    const exit = await vm.exited;
    const said = firstLine(vm.output());
    const words = said ? ` with "${said}"` : '';
    if (outcome.kind === 'halted') return verdict('unusable', `QEMU stopped the VM (${outcome.halt.state})${words}`);
    if (exitedByItself)
      return verdict(
        'unusable',
        `${exit.signal ? `QEMU was killed by ${exit.signal}` : `QEMU exited (code ${exit.exitCode})`}${words}`,
      );
    if (outcome.kind === 'ran')
      return verdict('usable', `the firmware ran for ${settleMs / 1000} s under accel=${accel}`);
    return verdict('unknown', `QEMU did not answer on QMP within ${boundMs / 1000} s`);
  } catch (error) {
    return verdict('unknown', `QEMU did not start: ${(error as Error).message}`);
  } finally {
    timers.abort();
    watch?.close();
    if (vm && !vm.hasExited()) {
      vm.kill('SIGKILL');
      await vm.exited;
    }
    await rm(dir, { recursive: true, force: true });
  }
}

const firstLine = (output: string): string | undefined =>
  output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
