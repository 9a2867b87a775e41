// How much does runVm add to a boot? Time from the call to the serial marker, against the same
// QEMU argv spawned by hand and its log polled every 20 ms, alternating in one run so both see
// the same machine load. Target: runVm ≤ 1.05× the bare spawn.
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePaths, type Paths } from '../lib/paths.js';
import { runVm } from '../lib/vm/run-vm.js';

const marker = /UEFI Interactive Shell|Shell>/;
const exe = 'qemu-system-aarch64';

function argv(paths: Paths, vm: string): string[] {
  return [
    '-machine',
    'virt,accel=tcg',
    '-cpu',
    'max,pauth-impdef=on',
    '-m',
    '256M',
    '-nodefaults',
    '-bios',
    '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd',
    '-display',
    'none',
    '-serial',
    `file:${paths.vmFile(vm, 'serial.log')}`,
    '-qmp',
    `unix:${paths.vmFile(vm, 'qmp.sock')},server=on,wait=off`,
  ];
}

async function viaRunVm(paths: Paths): Promise<number> {
  const vm = 'bench-runvm';
  const result = await runVm({
    vm,
    paths,
    cwd: paths.root,
    interactive: false,
    graceMs: 0,
    until: marker,
    timeoutMs: 120_000,
    command: { exe, args: argv(paths, vm), sudo: false },
    serialLog: paths.vmFile(vm, 'serial.log'),
    qmpSocket: paths.vmFile(vm, 'qmp.sock'),
  });
  return result.matchedAfterMs!;
}

async function byHand(paths: Paths): Promise<number> {
  const vm = 'bench-hand';
  const log = paths.vmFile(vm, 'serial.log');
  const started = performance.now();
  await mkdir(paths.vmDir(vm), { recursive: true });
  await rm(log, { force: true }); // the last round's log would match at once
  const qemu = execa(exe, argv(paths, vm), { cwd: paths.root, stdin: 'ignore', reject: false });
  try {
    for (;;) {
      const text = await readFile(log, 'utf8').catch(() => '');
      if (marker.test(text)) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error('the firmware never reached its shell');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    qemu.kill('SIGKILL');
    await qemu;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchBoot(): Promise<void> {
  const rounds = Number(process.env.KUBENET_BENCH_ROUNDS ?? 3);
  const root = await mkdtemp(join(tmpdir(), 'kubenet-bench-boot-'));
  const paths = makePaths(root);
  const runs = { runVm: [] as number[], hand: [] as number[] };
  try {
    await byHand(paths); // warm-up, not counted: the first boot pays for cold caches
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always boots on a warmer machine.
      const order = round % 2 === 0 ? (['runVm', 'hand'] as const) : (['hand', 'runVm'] as const);
      for (const which of order) runs[which].push(which === 'runVm' ? await viaRunVm(paths) : await byHand(paths));
      console.log(
        `boot round ${round + 1}/${rounds}: runVm ${secs(runs.runVm.at(-1)!)}, by hand ${secs(runs.hand.at(-1)!)}`,
      );
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  const ratio = median(runs.runVm) / median(runs.hand);
  console.log(
    `boot to the UEFI shell (aarch64 TCG, median of ${rounds}): runVm ${secs(median(runs.runVm))}, ` +
      `by hand ${secs(median(runs.hand))}, ratio ${ratio.toFixed(3)}× (target ≤ 1.05×)`,
  );
}

// Run alone: node dist/bench/boot.js
if (import.meta.url === `file://${process.argv[1]}`) await benchBoot();
