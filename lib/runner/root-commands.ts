// Commands that need root (a bridge, a firewall chain, a daemon on the bridge): shown first,
// together, with the reason; run only with consent — --yes, or yes at a terminal's prompt — and
// through sudo unless kubenet already runs as root. Without a terminal and without --yes nothing
// runs and the run stops, saying how to consent or how to run the commands yourself.
import type { Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import { formatAny } from '../qemu/format-command.js';
import type { Reporter } from './reporter.js';

export interface RootRun {
  reporter: Reporter;
  task: string;
  dryRun: boolean;
  yes: boolean; // --yes
  interactive: boolean; // a terminal to ask on
  ask(question: string): Promise<boolean>;
  run(command: Command): Promise<unknown>;
}

export const isRoot = (): boolean => process.geteuid?.() === 0;

// sudo is how the guide writes it; as root it would only be in the way (and may be missing).
export const withoutNeedlessSudo = (command: Command): Command => (command.sudo && isRoot() ? { ...command, sudo: false } : command);

export async function runAsRoot(r: RootRun, reason: string, commands: readonly Command[]): Promise<void> {
  if (commands.length === 0) return;
  const shown = commands.map((c) => formatAny({ ...c, sudo: true }).replace(/^\$ /, '    '));
  r.reporter.print(`  as root — ${reason}:\n${shown.join('\n')}`);
  if (r.dryRun) return;
  await consent(r, reason, commands.length);
  for (const command of commands) await r.run(withoutNeedlessSudo({ ...command, sudo: true }));
}

// Consent to run `count` commands, already shown, as root: --yes, else yes at a terminal's prompt.
export async function consent(r: Omit<RootRun, 'run' | 'dryRun' | 'task'>, reason: string, count: number): Promise<void> {
  if (!r.yes) {
    if (!r.interactive) {
      throw new KubenetError(`${count === 1 ? 'a command needs' : `${count} commands need`} root: ${reason}`, {
        code: ExitCode.usage,
        hint: 'pass --yes to let kubenet run them (through sudo unless you are root), or run them yourself as printed above and run kubenet again',
      });
    }
    r.reporter.release();
    if (!(await r.ask(`Run ${count === 1 ? 'it' : 'these'} as root${isRoot() ? '' : ' (sudo)'}?`))) {
      throw new KubenetError('declined: nothing was run as root', { code: ExitCode.usage, hint: 'run the commands above yourself, or run kubenet again and answer yes (or pass --yes)' });
    }
  }
}
