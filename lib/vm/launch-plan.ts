// How QEMU is started so that it never outlives kubenet. On Linux, util-linux's setpriv sets the
// parent-death signal before it execs QEMU: if kubenet is killed hard (SIGKILL, OOM), the kernel
// sends QEMU SIGTERM and QEMU exits cleanly, its disks flushed. With that safety net a headless
// QEMU can get its own session, so a Ctrl-C in the terminal reaches kubenet only, and kubenet
// powers the guest down in order instead of QEMU dying mid-write.
// Without setpriv (macOS), or with sudo (setpriv would guard sudo's child against sudo, not
// kubenet), or with a console on the terminal (it must stay in the terminal's foreground group),
// QEMU stays in kubenet's process group; kubenet's signal and exit hooks stop it instead.
import type { Command } from '../command.js';

export type QemuCommand = Command;

export interface LaunchPlan {
  file: string;
  args: string[];
  detached: boolean; // own session: terminal signals reach kubenet only
  dieWithParent: boolean;
}

export function launchPlan(command: QemuCommand, options: { interactive: boolean; setpriv: string | undefined; root?: boolean }): LaunchPlan {
  // Already root: sudo adds nothing (and may not be installed), and setpriv's guard then works.
  if (command.sudo && !(options.root ?? process.geteuid?.() === 0)) return { file: 'sudo', args: [command.exe, ...command.args], detached: false, dieWithParent: false };
  if (options.setpriv === undefined) return { file: command.exe, args: command.args, detached: false, dieWithParent: false };
  return {
    file: options.setpriv,
    args: ['--pdeathsig', 'TERM', '--', command.exe, ...command.args],
    detached: !options.interactive,
    dieWithParent: true,
  };
}
