// Commands printed the way the guide prints them, for --dry-run and for the user to copy: every
// printed form is also a valid POSIX shell command for the same argv.
import { argvOfCommand, type Command } from '../command.js';
import type { BootChange } from './boot-control.js';
import { groupArgs } from './qemu-args.js';

// Words the shell reads literally; anything else is single-quoted.
const plain = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (plain.test(word)) return word;
  // a ~ inside a word is literal (ubuntu@vm:~)
  if (/^[^~]/.test(word) && plain.test(word.replaceAll('~', '-'))) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

// The guide's multi-line form, for QEMU:
//   $ sudo qemu-system-aarch64 \
//       -nodefaults \
//       -machine virt,accel=hvf
export function formatCommand(command: Command, options: { prompt?: boolean } = {}): string {
  const head = [command.sudo ? 'sudo' : undefined, command.exe]
    .filter((w) => w !== undefined)
    .map(shellQuote)
    .join(' ');
  const lines = [`${options.prompt === false ? '' : '$ '}${head}`];
  for (const option of groupArgs(command.args)) lines.push(`    ${option.map(shellQuote).join(' ')}`);
  return lines.join(' \\\n');
}

// One line: `qemu-img create -f qcow2 ubuntu.img 128G`.
// A command that reads text gets it as a here-document, as the guide writes `sudo tee FILE`.
// A pipeline is its commands joined by ` | `.
export function formatCommandLine(command: Command, options: { prompt?: boolean } = {}): string {
  const line =
    `${options.prompt ? '$ ' : ''}${argvOfCommand(command).map(shellQuote).join(' ')}` +
    `${command.pipe ? ` | ${formatCommandLine(command.pipe)}` : ''}`;
  if (command.input === undefined) return line;
  return `${line} <<'EOF'\n${command.input}${command.input.endsWith('\n') ? '' : '\n'}EOF`;
}

// A QEMU boot in the multi-line form, anything else (qemu-img, `qemu-system-… --version`) on one
// line, as the guide has them.
export const formatAny = (command: Command): string =>
  command.exe.startsWith('qemu-system-') && groupArgs(command.args).length > 2
    ? formatCommand(command)
    : formatCommandLine(command, { prompt: true });

// What kubenet changes in the guide's command, one reason per block:
//   kubenet changes, so it can watch and stop the VM:
//     - -serial vc
//     + -chardev vc,id=serial0,logfile=… -serial chardev:serial0
//       the serial console, in the window as before and also logged to …
export function formatChanges(changes: readonly BootChange[]): string {
  const lines = ['  kubenet changes, so it can watch and stop the VM (the command above with these is what runs):'];
  for (const change of changes) {
    for (const o of change.removed) lines.push(`    - ${o.map(shellQuote).join(' ')}`);
    for (const o of change.added) lines.push(`    + ${o.map(shellQuote).join(' ')}`);
    lines.push(`      ${change.why}`);
  }
  return lines.join('\n');
}
