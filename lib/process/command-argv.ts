// How a Command runs: its argv, with sudo in front only where it is needed — never when kubenet
// is root already (sudo would add nothing, and may not be installed) — and `sudo -n` where
// nothing could answer a password prompt (a check, a detached QEMU). The one place that decides.
import { argvOfCommand, type Command } from '../command.js';

export const isRoot = (): boolean => process.geteuid?.() === 0;

export interface ArgvOptions {
  root?: boolean; // kubenet runs as root (default: the effective uid says)
  noPrompt?: boolean; // sudo must not ask for a password: it fails instead
}

export function argvToRun(command: Command, { root = isRoot(), noPrompt = false }: ArgvOptions = {}): string[] {
  return argvOfCommand(root ? { ...command, sudo: false } : command, { noPrompt });
}
