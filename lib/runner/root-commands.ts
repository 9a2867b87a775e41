// Commands that need root (a bridge, a firewall chain, a daemon on the bridge, QEMU on a TAP):
// shown first, together, with the reason; run only with consent — --yes, or yes at a terminal's
// prompt — and through sudo unless kubenet already runs as root (then no sudo is shown either).
// Without a terminal and without --yes nothing runs and the run stops, saying how to consent or
// how to run the commands yourself. A run whose tasks say they may need root asks once: a first
// pass looks (a dry run that collects the root commands: `preview`), every root command of the
// run is shown with its reason, one question, then the run acts (runner/root-preview.ts).
import type { Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import { which } from '../host/which.js';
import { isRoot } from '../process/run-process.js';
import { formatCommandLine } from '../qemu/format-command.js';
import type { Reporter } from './reporter.js';

export interface RootRun {
  reporter: Reporter;
  task: string;
  dryRun: boolean;
  yes: boolean; // --yes
  interactive: boolean; // a terminal to ask on
  session?: RootSession; // the run's one consent
  ask(question: string): Promise<boolean>;
  run(command: Command): Promise<unknown>;
}

// What a run has said and been told about root.
export interface RootSession {
  preview?: RootEntry[]; // the first pass: root commands are collected here, nothing runs or asks
  consented: boolean; // every root command of the run was shown and agreed to
}

export interface RootEntry {
  task: string;
  reason: string;
  commands: Command[];
}

// sudo is how the guide writes it; as root it would only be in the way (and may be missing).
export const withoutNeedlessSudo = (command: Command): Command =>
  command.sudo && isRoot() ? { ...command, sudo: false } : command;

// The commands under their reason, as they will run: with sudo only when it is used.
// Each command on a line of its own (a QEMU boot too: its options are printed with the boot).
export const rootBlock = (reason: string, commands: readonly Command[]): string =>
  `  as root — ${reason}:\n` +
  commands.map((c) => formatCommandLine(withoutNeedlessSudo({ ...c, sudo: true })).replace(/^/gm, '    ')).join('\n');

export async function runAsRoot(r: RootRun, reason: string, commands: readonly Command[]): Promise<void> {
  if (commands.length === 0) return;
  if (r.session?.preview) return void r.session.preview.push({ task: r.task, reason, commands: [...commands] });
  if (r.session?.consented && !r.dryRun) r.reporter.note(r.task, `as root (agreed to above): ${reason}`);
  else {
    r.reporter.print(rootBlock(reason, commands));
    if (r.dryRun) return;
    await consent(r, reason, commands, { shown: true });
  }
  for (const command of commands) await r.run(withoutNeedlessSudo({ ...command, sudo: true }));
}

// Consent to run `commands`, already shown, as root: --yes, else yes at a terminal's prompt —
// or the run's one consent, given before. The first pass only collects them.
// `shown`: the commands are printed already (else they are, before the question).
export async function consent(
  r: Omit<RootRun, 'run' | 'dryRun'>,
  reason: string,
  commands: readonly Command[],
  { shown = false } = {},
): Promise<void> {
  if (r.session?.preview) return void r.session.preview.push({ task: r.task, reason, commands: [...commands] });
  if (r.session?.consented) return;
  const count = commands.length;
  if (!r.yes) {
    if (r.interactive && !shown) r.reporter.print(rootBlock(reason, commands));
    if (!r.interactive) {
      throw new KubenetError(`${count === 1 ? 'a command needs' : `${count} commands need`} root: ${reason}`, {
        code: ExitCode.usage,
        hint: shown
          ? 'pass --yes to let kubenet run them (through sudo unless you are ' +
            'root), or run them yourself as printed above and run kubenet again'
          : `pass --yes to let kubenet run ${count === 1 ? 'it' : 'them'} (through ` +
            `sudo unless you are root); --dry-run prints ${count === 1 ? 'it' : 'them'}`,
      });
    }
    r.reporter.release();
    if (!(await r.ask(`Run ${count === 1 ? 'it' : 'these'} as root${isRoot() ? '' : ' (sudo)'}?`))) {
      throw new KubenetError('declined: nothing was run as root', {
        code: ExitCode.usage,
        hint: 'run the commands above yourself, or run kubenet again and answer yes (or pass --yes)',
      });
    }
  }
}

// The run's one consent: every root command of the run under its reason, then one question (or
// --yes). Refused, nothing has run or changed: the first pass changed nothing.
export async function consentToRun(
  r: Omit<RootRun, 'run' | 'dryRun' | 'task' | 'session'>,
  entries: readonly RootEntry[],
): Promise<void> {
  const count = entries.reduce((n, e) => n + e.commands.length, 0);
  if (count === 0) return;
  const how = isRoot() ? 'as root' : 'through sudo';
  r.reporter.print(
    `This run needs root: kubenet runs ${count === 1 ? 'this command' : `these ${count} commands`} ` +
      `${how}, each for the reason above it (and nothing else as ` +
      `root):\n${entries.map((e) => rootBlock(e.reason, e.commands)).join('\n')}`,
  );
  if (!isRoot() && which('sudo') === undefined) {
    throw new KubenetError('these commands need root, and sudo is not installed here: nothing was run or changed', {
      code: ExitCode.host,
      hint: 'run kubenet as root, or install sudo',
    });
  }
  if (!r.yes) {
    if (!r.interactive) {
      throw new KubenetError(
        `this run needs root for ${count === 1 ? 'a command' : `${count} commands`}: nothing was run or changed`,
        {
          code: ExitCode.usage,
          hint:
            'pass --yes to let kubenet run them (through sudo unless you are ' +
            'root), or run them yourself as printed above and run kubenet again',
        },
      );
    }
    r.reporter.release();
    if (!(await r.ask(`Run ${count === 1 ? 'it' : 'them'} ${how}?`))) {
      throw new KubenetError('declined: nothing was run as root, and nothing changed', {
        code: ExitCode.usage,
        hint: 'run the commands above yourself, or run kubenet again and answer yes (or pass --yes)',
      });
    }
  }
}
