// `kubenet status [--json]`: every VM kubenet has a folder for, running or not (vm/vm-report.ts).
import { ExitCode } from '../../errors.js';
import type { VmReach } from '../../ssh/vm-reach.js';
import type { VmReport } from '../../vm/vm-report.js';
import type { CommandInput } from '../command-input.js';
import { vmNames, vmReport } from '../../vm/vm-report.js';
import { vmReach } from '../../ssh/vm-reach.js';

export async function status({ options, paths, settings }: CommandInput<'status'>): Promise<number> {
  const reports = await Promise.all(
    (await vmNames(paths)).map(async (vm) => {
      const report = await vmReport(paths, vm);
      return { ...report, ...(await vmReach(paths, settings, vm, report.running)) };
    }),
  );
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (reports.length === 0) {
    process.stdout.write(`no VMs yet in ${paths.vms} (kubenet run <task> boots one; kubenet list shows the tasks)\n`);
    return ExitCode.ok;
  }
  process.stdout.write(`${reports.map(describe).join('\n')}\n`);
  return ExitCode.ok;
}

function describe(r: VmReport & VmReach): string {
  if (!r.running) {
    const stale =
      r.stalePid === undefined
        ? ''
        : ` (stale pid file: QEMU ${r.stalePid} is gone; the next run of ${r.name} tidies it)`;
    return [
      `${r.name}: not running${stale}`,
      ...(r.address === undefined ? [] : [`  ssh         ${where(r)} once it runs`]),
      `  serial log  ${r.serialLog}`,
    ].join('\n');
  }
  const state = r.runState !== undefined ? `run state ${r.runState}` : `run state unknown: ${r.runStateError}`;
  const up = r.uptimeSeconds === undefined ? '' : `, up ${duration(r.uptimeSeconds)}`;
  const sshd =
    r.sshd === undefined
      ? ''
      : r.sshd === 'silent'
        ? '; sshd does not answer yet'
        : `; sshd answers, cloud-init ${r.cloudInit ?? `unknown (${r.cloudInitError})`}`;
  return [
    `${r.name}: running, pid ${r.pid}${up}, ${state}, ${r.runs}`,
    ...(r.address !== undefined
      ? [`  ssh         ${where(r)} (kubenet ssh ${r.name})${sshd}`]
      : r.sshPort === undefined
        ? []
        : [`  ssh         127.0.0.1:${r.sshPort} → the guest's port 22 (kubenet ssh ${r.name})`]),
    `  console     kubenet console ${r.name}   (serial log ${r.serialLog})`,
    `  stop        ${r.stopWith}`,
  ].join('\n');
}

const where = (r: VmReach) => (r.forwarded ? `${r.address} → the guest's port 22` : r.address!);

// 45 s, 3 min 5 s, 2 h 3 min, 1 d 2 h.
export function duration(seconds: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length === 0 && unit === 's')) parts.push(`${n} ${unit}`);
  }
  return parts.slice(0, 2).join(' ');
}
