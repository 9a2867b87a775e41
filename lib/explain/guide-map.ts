// `kubenet guide` as data: each numbered step of the guide with what kubenet can tell about it,
// and the next command to run. Pure: the command gathers task statuses and file presence.
import type { Status } from '../fingerprint/check.js';
import type { Edition } from '../host/types.js';
import { onlyInLabel, type OnlyIn } from '../task/editions.js';

export interface GuideStep {
  step: number;
  name: string;
  title: string;
  summary: string;
  onlyIn?: OnlyIn; // in one edition of the guide only
  task: string;
  command: string; // how to run this step alone
  explain: string; // how to explain it
  taskStatus?: Status; // for a step whose task caches its result (00-qemu)
  makes: { file: string; exists: boolean }[];
  booted?: boolean; // the step's VM has a serial log: it booted at least once
  missing: string[]; // downloads it needs that are not verified here yet
}

export type StepState = 'done' | 'booted' | 'stale' | 'not-yet';

export interface GuideRow {
  step: number;
  title: string;
  onlyIn?: Edition;
  command: string;
  state: StepState;
  note?: string;
}

export function guideRow(s: GuideStep): GuideRow {
  const row = { step: s.step, title: s.title, ...(s.onlyIn ? { onlyIn: s.onlyIn.edition } : {}), command: s.command };
  if (s.taskStatus?.state === 'done') return { ...row, state: 'done' };
  if (s.taskStatus?.state === 'stale') return { ...row, state: 'stale', note: s.taskStatus.reason };
  // A step that makes files is done when they are there; one that only boots, once it has booted.
  if (s.makes.length && s.makes.every((m) => m.exists)) return { ...row, state: 'done' };
  if (s.booted && s.makes.length === 0 && s.missing.length === 0) return { ...row, state: 'booted' };
  const notMade = s.makes.filter((m) => !m.exists).map((m) => m.file);
  const notes = [
    ...(notMade.length ? [`${notMade.join(', ')} not made yet`] : []),
    ...s.missing.map((d) => `needs the download ${d}`),
  ];
  return { ...row, state: 'not-yet', ...(notes.length ? { note: notes.join('; ') } : {}) };
}

// A stale step first; then step 1, which every other step needs; else the first step not yet
// done after the last one that is (so step 2 — a bare machine, no download — for a newcomer),
// passing over the steps of the edition this host does not follow (a Linux host's step 7).
export function nextRow(rows: readonly GuideRow[], follows?: Edition): GuideRow | undefined {
  const stale = rows.find((r) => r.state === 'stale');
  if (stale) return stale;
  if (rows[0]?.state === 'not-yet') return rows[0];
  const reached = rows.map((r) => r.state === 'done' || r.state === 'booted').lastIndexOf(true);
  const todo = (r: GuideRow) =>
    r.state === 'not-yet' && (follows === undefined || r.onlyIn === undefined || r.onlyIn === follows);
  return rows.slice(reached + 1).find(todo) ?? rows.find(todo);
}

const label: Record<StepState, string> = {
  done: 'done',
  booted: 'booted before',
  stale: 'stale',
  'not-yet': 'not yet',
};

export function renderGuideMap(
  steps: readonly GuideStep[],
  heading: string,
  cli = 'kubenet',
  follows?: Edition,
): string {
  const rows = steps.map(guideRow);
  const title = Math.max(...rows.map((r) => r.title.length));
  const command = Math.max(...rows.map((r) => r.command.length));
  const lines = [heading, ''];
  for (const [i, r] of rows.entries()) {
    const only = steps[i]!.onlyIn;
    const state = `${label[r.state]}${r.note ? ` (${r.note})` : ''}${only ? ` — ${onlyInLabel(only)}` : ''}`;
    lines.push(
      `${String(r.step).padStart(2)}  ${r.title.padEnd(title)}  ` +
        `${r.command.replace(/^kubenet/, cli).padEnd(command + cli.length - 7)}  ${state}`,
    );
  }
  const next = nextRow(rows, follows);
  lines.push('');
  if (next) {
    const s = steps.find((x) => x.step === next.step)!;
    lines.push(`Next: ${next.command.replace(/^kubenet/, cli)}    # step ${s.step}, ${s.title}: ${s.summary}`);
    lines.push(
      `      ${s.explain.replace(/^kubenet/, cli)} explains it option ` +
        `by option; add --dry-run to the run to see its commands only`,
    );
  } else {
    lines.push(`Every step has been run. Log in to the chapter's VM with ${cli} ssh.`);
  }
  lines.push('Steps that boot a VM run every time you ask; "booted before" means that VM has started at least once.');
  return lines.join('\n');
}
