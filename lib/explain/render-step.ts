// `kubenet explain` as text: a step's commands as the guide writes them and as this host runs
// them, what differs and why, then every option, one line each. Pure: inputs come in as data.
import type { Command } from '../command.js';
import type { QemuFacts } from '../host/types.js';
import type { GuideStepInfo } from '../guide/step-list.js';
import type { StepInput } from '../guide/step-input.js';
import { formatCommand, formatCommandLine } from '../qemu/format-command.js';
import { explainCommand, type ExplainedOption } from './explain-command.js';
import { hostDifferences } from './host-diff.js';
import { seedDifferences } from './seed-diff.js';
import { profileName } from './guide-input.js';
import { describe } from './option-note.js';
import { stepCommands } from './step-commands.js';

export interface HostView {
  input?: StepInput; // this host's step input, when its facts are known
  facts?: QemuFacts;
  error?: string; // why they are not (QEMU missing, …)
}

export interface ExplainStepInput {
  info: GuideStepInfo;
  guide: StepInput;
  host: HostView;
}

const show = (c: Command) => (c.exe.startsWith('qemu-system-') ? formatCommand(c) : formatCommandLine(c, { prompt: true }));

export function renderStep({ info, guide, host }: ExplainStepInput): string {
  const lines = [
    `Step ${info.step} — ${info.title}: ${info.summary}`,
    `run it: kubenet run ${info.task}${info.step === 1 ? '' : ` --step ${info.step}`}`,
    '',
  ];
  if (info.step === 1) return [...lines, ...stepOne(guide, host)].join('\n');

  const ours = stepCommands(info.step, guide);
  const theirs = host.input ? stepCommands(info.step, host.input) : undefined;
  const commands = (s: typeof ours) => [...s.before, ...(s.qemu ? [s.qemu] : [])];
  lines.push(`The guide (${profileName(guide)}):`, ...commands(ours).map(show), '');
  if (!theirs) {
    lines.push(`This host: unknown (${host.error ?? 'no QEMU facts'}); run kubenet doctor.`, '');
  } else {
    const same = commands(ours).map(show).join('\n') === commands(theirs).map(show).join('\n');
    if (same) {
      lines.push(`This host (${profileName(host.input!)}) runs exactly the guide's command.`, '');
    } else {
      lines.push(`This host (${profileName(host.input!)}) runs:`, ...commands(theirs).map(show), '');
      if (ours.qemu && theirs.qemu) {
        lines.push('Where this host differs from the guide, and why:');
        for (const d of hostDifferences({ command: ours.qemu, input: guide }, { command: theirs.qemu, input: host.input! })) {
          lines.push(`  guide: ${d.guide.join(' ') || '—'}`, `  here:  ${d.host.join(' ') || '—'}`, `         ${d.why}`);
        }
        lines.push('');
      }
    }
  }
  const explained = explainAll([...commands(theirs ?? ours), ...commands(ours)]);
  lines.push('Every option:');
  for (const o of explained) lines.push(...optionLines(o));
  if (info.step === 11) {
    lines.push('', 'kubenet writes cloud-init/user-data, meta-data and cidata.iso itself (no mkisofs needed); the line above is what the guide runs.', '', ...seedDifferences());
  }
  return lines.join('\n');
}

// Each distinct option once, in order, across the commands given.
export function explainAll(commands: Command[]): (ExplainedOption & { exe: string })[] {
  const seen = new Set<string>();
  const out: (ExplainedOption & { exe: string })[] = [];
  for (const c of commands) {
    for (const o of explainCommand(c)) {
      const id = `${c.exe} ${o.words.join(' ')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ...o, exe: c.exe });
    }
  }
  return out;
}

function optionLines(o: ExplainedOption & { exe: string }): string[] {
  const head = `  ${o.exe.startsWith('qemu-system-') ? '' : `${o.exe} `}${o.words.join(' ')}`;
  if (!o.note) return [head, '      (no explanation yet)'];
  const lines = [head, `      ${describe(o.note, o.words[1] ?? o.words[0]!)} — ${o.note.why}`];
  for (const form of o.note.longForms ?? []) lines.push(`      same as: ${form}`);
  return lines;
}

function stepOne(guide: StepInput, host: HostView): string[] {
  const exe = `qemu-system-${guide.profile.guestArch}`;
  const lines = [
    'The guide:',
    `$ QEMU_VERSION=$(${exe} --version | head -n 1 | sed "s/^QEMU emulator version //")`,
    '',
    `  ${exe} --version`,
    '      prints QEMU\'s version and copyright — the first line reads "QEMU emulator version 8.2.0"',
    '  head -n 1',
    '      keeps only that first line',
    '  sed "s/^QEMU emulator version //"',
    '      cuts the fixed prefix, leaving the version (8.2.0) in QEMU_VERSION',
    '',
    'The guide needs QEMU_VERSION only to find the firmware under Homebrew\'s versioned Cellar path,',
    'which breaks on every brew upgrade; kubenet looks the firmware up instead (QEMU\'s firmware',
    'descriptors, then the Homebrew prefix, then distro paths) and records what it found in images/qemu.json.',
    '',
  ];
  if (host.facts) {
    const f = host.facts;
    lines.push(
      `This host (${f.profile.hostOs}-${f.profile.hostArch}):`,
      `  QEMU_VERSION=${f.version} (${f.qemu})`,
      `  firmware: ${f.firmware.code} — ${f.firmware.why}`,
      `  accelerator: ${f.accel.accel} — ${f.accel.why}`,
    );
  } else {
    lines.push(`This host: unknown (${host.error ?? 'no QEMU facts'}); run kubenet doctor.`);
  }
  return lines;
}
