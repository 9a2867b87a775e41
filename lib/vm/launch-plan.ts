// How QEMU is started so that it never outlives kubenet — unless it is meant to (--detach). On
// Linux, util-linux's setpriv sets the parent-death signal before it execs QEMU: if kubenet is
// killed hard (SIGKILL, OOM), the kernel sends QEMU SIGTERM and QEMU exits cleanly, its disks
// flushed. With that safety net a headless QEMU can get its own session, so a Ctrl-C in the
// terminal reaches kubenet only, and kubenet powers the guest down in order instead of QEMU dying
// mid-write.
// Without setpriv (macOS), or with sudo (setpriv would guard sudo's child against sudo, not
// kubenet), or with a console on the terminal (it must stay in the terminal's foreground group),
// QEMU stays in kubenet's process group; kubenet's signal and exit hooks stop it instead.
// A detached QEMU is the opposite: its own session, no parent-death signal, nothing tied to the
// terminal (spawn-qemu.ts gives it /dev/null and its log file); sudo may not prompt (-n), since
// nothing could answer: kubenet asks for the password first (sudo -v).
import type { Command } from '../command.js';
import { argvToRun, isRoot } from '../process/run-process.js';

export type QemuCommand = Command;

export interface LaunchPlan {
  file: string;
  args: string[];
  detached: boolean; // own session: terminal signals reach kubenet only
  dieWithParent: boolean;
}

export interface LaunchOptions {
  interactive: boolean;
  setpriv: string | undefined;
  outliveKubenet?: boolean; // --detach
  root?: boolean; // kubenet runs as root (default: the effective uid says)
}

export function launchPlan(command: QemuCommand, options: LaunchOptions): LaunchPlan {
  // Already root: sudo adds nothing (and may not be installed), and setpriv's guard then works.
  const root = options.root ?? isRoot();
  const sudo = command.sudo && !root;
  if (options.outliveKubenet) {
    const [file, ...args] = argvToRun(command, { root, noPrompt: true });
    return { file: file!, args, detached: true, dieWithParent: false };
  }
  if (sudo) return { file: 'sudo', args: argvToRun(command, { root }).slice(1), detached: false, dieWithParent: false };
  if (options.setpriv === undefined)
    return { file: command.exe, args: command.args, detached: false, dieWithParent: false };
  return {
    file: options.setpriv,
    args: ['--pdeathsig', 'TERM', '--', command.exe, ...command.args],
    detached: !options.interactive,
    dieWithParent: true,
  };
}
