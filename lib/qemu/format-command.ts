// Commands printed the way the guide prints them, for --dry-run and for the user to copy:
// every printed form is also a valid POSIX shell command for the same argv.
import type { Command } from '../command.js';

// Words the shell reads literally; anything else is single-quoted.
const plain = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (plain.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

// QEMU flags that take no value; every other flag takes the word after it.
const valueless = new Set(['-nographic', '-nodefaults', '-no-reboot', '-no-shutdown', '-S', '-snapshot', '-daemonize', '-enable-kvm']);

// The guide's multi-line form:
//   $ sudo qemu-system-aarch64 \
//       -nodefaults \
//       -machine virt,accel=hvf
export function formatCommand(command: Command, options: { prompt?: boolean } = {}): string {
  const head = [command.sudo ? 'sudo' : undefined, command.exe].filter((w) => w !== undefined).map(shellQuote).join(' ');
  const lines = [`${options.prompt === false ? '' : '$ '}${head}`];
  for (const option of groupOptions(command.args)) lines.push(`    ${option.map(shellQuote).join(' ')}`);
  return lines.join(' \\\n');
}

// One line: `sudo qemu-system-aarch64 -nodefaults -machine virt,accel=hvf …`.
export function formatCommandLine(command: Command, options: { prompt?: boolean } = {}): string {
  const words = [...(command.sudo ? ['sudo'] : []), command.exe, ...command.args].map(shellQuote);
  return `${options.prompt ? '$ ' : ''}${words.join(' ')}`;
}

// [-m, 2G, -nodefaults, file] → [[-m, 2G], [-nodefaults], [file]]
function groupOptions(args: string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const takesValue = word.startsWith('-') && !valueless.has(word) && i + 1 < args.length;
    groups.push(takesValue ? [word, args[++i]!] : [word]);
  }
  return groups;
}
