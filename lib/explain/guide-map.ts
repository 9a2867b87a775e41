// `kubenet guide` as data: each step of the chapter with what kubenet can tell about it, and
// the next command to run. Pure: the command gathers task statuses and file presence.
import { guideSteps, type GuideStepInfo, type GuideVm } from '../guide/step-list.js';

export type TaskState = { state: 'done' } | { state: 'stale'; reason: string } | { state: 'never-run' } | { state: 'always'; reason: string };

export interface GuideProgress {
  tasks: Partial<Record<'00-qemu' | '12-live-iso' | '13-cloud-img', TaskState>>;
  files: { disk: boolean; overlay: boolean; seed: boolean }; // ubuntu.img, ubuntu0.img, cidata.iso
  booted: Partial<Record<GuideVm, boolean>>; // the VM has a serial log: it booted at least once
}

export type StepState = 'done' | 'booted' | 'stale' | 'not-yet';

export interface GuideRow {
  step: number;
  title: string;
  command: string; // how to run this step alone
  state: StepState;
  note?: string; // why stale, what is missing
}

export const stepCommand = (info: GuideStepInfo): string => `kubenet run ${info.task}${info.step === 1 ? '' : ` --step ${info.step}`}`;

export function guideRows(progress: GuideProgress): GuideRow[] {
  return guideSteps.map((info) => ({ step: info.step, title: info.title, command: stepCommand(info), ...stateOf(info, progress) }));
}

function download(task: TaskState | undefined, what: string): { state: StepState; note?: string } | undefined {
  if (task?.state === 'done') return undefined;
  if (task?.state === 'stale') return { state: 'stale', note: `${what}: ${task.reason}` };
  return { state: 'not-yet', note: `${what} not downloaded yet` };
}

function stateOf(info: GuideStepInfo, p: GuideProgress): { state: StepState; note?: string } {
  const booted = (vm: GuideVm, missing?: string) => (p.booted[vm] ? { state: 'booted' as const } : { state: 'not-yet' as const, ...(missing ? { note: missing } : {}) });
  switch (info.step) {
    case 1: {
      const t = p.tasks['00-qemu'];
      if (t?.state === 'done') return { state: 'done' };
      if (t?.state === 'stale') return { state: 'stale', note: t.reason };
      return { state: 'not-yet' };
    }
    case 2:
    case 3:
    case 4:
      return booted('machine');
    case 5:
    case 6:
    case 7:
      return download(p.tasks['12-live-iso'], 'the live ISO') ?? booted('live-cd');
    case 8:
      return p.files.disk ? { state: 'done' } : { state: 'not-yet', note: 'ubuntu.img not made yet' };
    case 9:
      return download(p.tasks['13-cloud-img'], 'the cloud image') ?? (p.files.overlay ? { state: 'done' } : { state: 'not-yet', note: 'ubuntu0.img not made yet' });
    case 10:
      return p.files.overlay ? booted('ubuntu0') : { state: 'not-yet', note: 'needs step 9' };
    default:
      return p.files.seed ? { state: 'done' } : { state: 'not-yet', note: 'cidata.iso not made yet' };
  }
}

// A stale step first; then step 1, which every other step needs; else the first step not yet
// done after the last one that is.
export function nextRow(rows: readonly GuideRow[]): GuideRow | undefined {
  const stale = rows.find((r) => r.state === 'stale');
  if (stale) return stale;
  if (rows[0]?.state === 'not-yet') return rows[0];
  const reached = rows.map((r) => r.state === 'done' || r.state === 'booted').lastIndexOf(true);
  return rows.slice(reached + 1).find((r) => r.state === 'not-yet');
}

const label: Record<StepState, string> = { done: 'done', booted: 'booted before', stale: 'stale', 'not-yet': 'not yet' };

export function renderGuideMap(rows: readonly GuideRow[], heading: string): string {
  const title = Math.max(...rows.map((r) => r.title.length));
  const command = Math.max(...rows.map((r) => r.command.length));
  const lines = [heading, ''];
  for (const r of rows) {
    lines.push(`${String(r.step).padStart(2)}  ${r.title.padEnd(title)}  ${r.command.padEnd(command)}  ${label[r.state]}${r.note ? ` (${r.note})` : ''}`);
  }
  const next = nextRow(rows);
  lines.push('');
  if (next) {
    const info = guideSteps.find((s) => s.step === next.step)!;
    lines.push(`Next: ${next.command}    # step ${next.step}, ${info.title}: ${info.summary}`);
    lines.push(`      kubenet explain ${info.task}${next.step === 1 ? '' : ` --step ${next.step}`} explains it option by option; add --dry-run to see the commands only`);
  } else {
    lines.push('Every step has been run: chapter 1 is done. Log in with kubenet ssh.');
  }
  lines.push('Steps that boot a VM run every time you ask; "booted before" means that VM has started at least once.');
  return lines.join('\n');
}
