// `kubenet stop <vm…> [--all] [--grace SECONDS]`: powers VMs off (vm/stop-vm.ts) and says how
// each one ended. A VM that is not running is said so (exit 0); a name with no folder is exit 2.
import { ExitCode, KubenetError } from '../../errors.js';
import { suggestions } from '../../suggestions.js';
import type { StoppedVm } from '../../vm/stop-vm.js';
import type { CommandInput } from '../command-input.js';
import { vmNames } from '../../vm/vm-report.js';
import { stopVm } from '../../vm/stop-vm.js';
import { vmStatus } from '../../vm/vm-status.js';
import { closeSessions } from '../../runner/tmux-sessions.js';

export async function stop({ line, options, paths }: CommandInput<'stop'>): Promise<number> {
  const { grace } = options;
  const known = await vmNames(paths);
  const all = options.all === true;
  if (all === line.words.length > 0) {
    throw new KubenetError(all ? '--all stops every VM: name none with it' : 'stop needs a VM, or --all', {
      code: ExitCode.usage,
      hint: `e.g. kubenet stop ${known[0] ?? 'ubuntu0'} (kubenet status lists the VMs)`,
    });
  }
  for (const vm of line.words) {
    if (known.includes(vm)) continue;
    const near = suggestions(vm, known);
    throw new KubenetError(
      `no VM named ${vm} in ${paths.vms}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
      {
        code: ExitCode.usage,
        hint: known.length
          ? `the VMs: ${known.join(', ')} (kubenet status shows which run)`
          : 'kubenet run <task> boots one',
      },
    );
  }
  const vms = all
    ? (await Promise.all(known.map(async (vm) => ((await vmStatus(paths, vm)).running ? [vm] : [])))).flat()
    : line.words;
  if (all && vms.length === 0) process.stdout.write('no VM is running\n');
  const graceMs = grace === undefined ? {} : { graceMs: grace * 1000 };
  const stopped = await Promise.all(vms.map((vm) => stopVm(paths, vm, graceMs)));
  for (const s of stopped) process.stdout.write(`${howItEnded(s)}\n`);
  if (all) {
    // The cluster's tmux sessions kubenet opened: their panes would show stopped VMs and hung ssh.
    for (const session of await closeSessions(paths)) process.stdout.write(`closed the tmux session ${session}\n`);
  }
  return ExitCode.ok;
}

function howItEnded(s: StoppedVm): string {
  const after = `after ${(s.afterMs / 1000).toFixed(1)} s`;
  switch (s.ended) {
    case 'not-running':
      return `${s.vm} is not running${s.tidied ? ` (removed its stale pid file: QEMU ${s.pid} was gone)` : ''}`;
    case 'powered-off':
      return `${s.vm}: the guest powered off ${after}, asked through the ACPI power button`;
    case 'quit':
      return s.runState !== undefined && s.runState !== 'running'
        ? `${s.vm}: QEMU had stopped the VM (run state ${s.runState}); QEMU quit cleanly, disks flushed, ${after}`
        : `${s.vm}: the guest did not power off within ${s.graceMs / 1000} ` +
            `s; QEMU quit cleanly, disks flushed, ${after}`;
    case 'terminated':
      return `${s.vm}: QMP did not answer; QEMU ended cleanly on SIGTERM, disks flushed, ${after}`;
    case 'killed':
      return `${s.vm}: QEMU did not quit and was killed (SIGKILL) ${after}: its disks may miss the last writes`;
    case 'already-exited':
      return `${s.vm}: QEMU exited by itself meanwhile`;
  }
}
