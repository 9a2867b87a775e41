// `kubenet explain` as text: a step's commands as the guide writes them and as this host runs
// them, what differs and why, then every option, one line each. Pure: plans come in as data.
import type { Command } from '../command.js';
import type { HostOs } from '../host/types.js';
import { formatAny } from '../qemu/format-command.js';
import { onlyInNote } from '../task/editions.js';
import { guideFirmware } from '../task/host-vars.js';
import type { Step, StepPlan } from '../task/types.js';
import { explainCommand, type ExplainedOption } from './explain-command.js';
import { hostDifferences } from './host-diff.js';
import { describe } from './option-note.js';
import { sideName, type Side } from './sides.js';

export interface ExplainStepInput {
  step: Step;
  run: string; // the command that runs the step alone
  hostOs: HostOs; // this host's: which edition it follows
  guide: { side: Side; plan: StepPlan }; // the edition the step is in (sides.ts, guideSideFor)
  host: { side: Side; plan: StepPlan } | { error: string };
}

const commandsOf = (plan: StepPlan): Command[] => [...plan.commands, ...plan.boots];

export function renderStep({ step, run, hostOs, guide, host }: ExplainStepInput): string {
  const lines = [
    `Step ${step.step ?? ''} — ${step.title}: ${step.summary}`.replace('Step  — ', 'Step: '),
    `run it: ${run}`,
    '',
  ];
  const only = onlyInNote(step, hostOs);
  if (only) lines.push(`${only}.`, '');
  if (step.step === 1) return [...lines, ...stepOne(guide.side, host)].join('\n');
  const ours = commandsOf(guide.plan);
  lines.push(`The guide (${sideName(guide.side)}):`, ...ours.map(formatAny), '');
  if ('error' in host) {
    lines.push(`This host: unknown (${host.error}); run kubenet doctor.`, '');
  } else {
    const theirs = commandsOf(host.plan);
    if (ours.map(formatAny).join('\n') === theirs.map(formatAny).join('\n')) {
      lines.push(`This host (${sideName(host.side)}) runs exactly the guide's command.`, '');
    } else {
      lines.push(`This host (${sideName(host.side)}) runs:`, ...theirs.map(formatAny), '');
      if (guide.plan.boot && host.plan.boot) {
        lines.push('Where this host differs from the guide, and why:');
        for (const d of hostDifferences(
          { command: guide.plan.boot, input: guide.side },
          { command: host.plan.boot, input: host.side },
        )) {
          lines.push(
            `  guide: ${d.guide.join(' ') || '—'}`,
            `  here:  ${d.host.join(' ') || '—'}`,
            `         ${d.why}`,
          );
        }
        lines.push('');
      }
    }
  }
  const explained = explainAll([...('error' in host ? [] : commandsOf(host.plan)), ...ours]);
  lines.push('Every option:');
  for (const o of explained) lines.push(...optionLines(o));
  const notes = 'error' in host ? guide.plan.notes : host.plan.notes;
  if (notes.length) lines.push('', ...notes);
  if (guide.plan.boot) {
    lines.push(
      '',
      'When it runs, kubenet also logs the serial console to images/vm/<vm>/serial.log and adds a QMP ' +
        'socket to stop the VM cleanly; `kubenet run … --dry-run` prints each change with its reason.',
    );
  }
  return lines.join('\n');
}

// Each distinct option once, in order, across the commands given.
export function explainAll(commands: Command[]): (ExplainedOption & { exe: string })[] {
  const seen = new Set<string>();
  const out: (ExplainedOption & { exe: string })[] = [];
  for (const c of commands) {
    for (const o of explainCommand(c)) {
      const exe = o.exe ?? c.exe;
      const id = `${exe} ${o.words.join(' ')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ...o, exe });
    }
  }
  return out;
}

function optionLines(o: ExplainedOption & { exe: string }): string[] {
  const head = `  ${o.exe.startsWith('qemu-system-') || o.whole ? '' : `${o.exe} `}${o.words.join(' ')}`;
  if (!o.note) return [head, '      (no explanation yet)'];
  const lines = [
    head,
    `      ${describe(o.note, o.whole ? o.words.join(' ') : (o.words[1] ?? o.words[0]!))} — ${o.note.why}`,
  ];
  for (const form of o.note.longForms ?? []) lines.push(`      same as: ${form}`);
  return lines;
}

function stepOne(guide: Side, host: ExplainStepInput['host']): string[] {
  const exe = `qemu-system-${guide.arch}`;
  const lines = [
    `The guide (the macOS edition's earlier text; today it names ${guideFirmware.aarch64} directly):`,
    `$ QEMU_VERSION=$(${exe} --version | head -n 1 | sed "s/^QEMU emulator version //")`,
    '',
    `  ${exe} --version`,
    '      prints QEMU\'s version and copyright — the first line reads "QEMU emulator version 8.2.0"',
    '  head -n 1',
    '      keeps only that first line',
    '  sed "s/^QEMU emulator version //"',
    '      cuts the fixed prefix, leaving the version (8.2.0) in QEMU_VERSION',
    '',
    "The guide needs QEMU_VERSION only to find the firmware under Homebrew's versioned Cellar path,",
    "which breaks on every brew upgrade; kubenet looks the firmware up instead (QEMU's firmware",
    'descriptors, then the Homebrew prefix, then distro paths) and records what it found in images/qemu.json.',
    '',
  ];
  if ('error' in host) {
    lines.push(`This host: unknown (${host.error}); run kubenet doctor.`);
  } else {
    const s = host.side;
    lines.push(
      `This host (${sideName(s)}):`,
      `  QEMU_VERSION=${s.version ?? '?'} (${s.qemu ?? `qemu-system-${s.arch}`})`,
      `  firmware: ${s.facts.firmware.code} — ${s.facts.firmware.why}`,
      `  accelerator: ${s.facts.accel.accel} — ${s.facts.accel.why}`,
    );
  }
  return lines;
}
