// `kubenet explain <task> [--step N]`: a guide step's commands, option by option, as the guide
// writes them and as this host runs them.
import { ExitCode, KubenetError } from '../../errors.js';
import { guideInput } from '../../explain/guide-input.js';
import { hostView } from '../../explain/host-view.js';
import { renderStep } from '../../explain/render-step.js';
import { guideStepInfo, guideSteps, type GuideStepInfo } from '../../guide/step-list.js';
import type { CommandInput } from '../main.js';

export async function explain({ graph, opts, paths, profile }: CommandInput): Promise<number> {
  const task = opts.names[0] === undefined ? undefined : graph.resolve(opts.names[0]);
  const info = target(task, opts.step);
  if (!info) {
    // A task that mirrors no step of its own (a download): say what it does.
    const t = await graph.load(task!);
    const urls = (t.artifacts?.({ opts, paths, profile }) ?? []).map((a) => `  ${a.url}\n      verified against SHA256SUMS in the same directory`);
    process.stdout.write(`${t.name}: ${t.title} (guide: ${t.guide})\n${urls.length ? `downloads:\n${urls.join('\n')}\n` : ''}`);
    return ExitCode.ok;
  }
  const host = await hostView(paths, profile, opts, info.vm);
  const guide = { ...guideInput(profile.guestArch), resources: { smp: 2, memory: '2G', diskSize: '128G' } };
  process.stdout.write(`${renderStep({ info, guide, host })}\n`);
  return ExitCode.ok;
}

// The step to explain: --step N (checked against the task), else the step `kubenet run <task>` runs.
function target(task: string | undefined, step: number | undefined): GuideStepInfo | undefined {
  if (task === undefined && step === undefined) {
    throw new KubenetError('explain needs a task or --step N', { code: ExitCode.usage, hint: 'e.g. kubenet explain 02-live-cd --step 5 (kubenet guide lists the steps)' });
  }
  const own = guideSteps.filter((s) => task === undefined || s.task === task);
  if (step === undefined) return own.at(-1);
  const info = guideStepInfo(step);
  if (!info) throw new KubenetError(`the chapter has steps 1–${guideSteps.length}, not ${step}`, { code: ExitCode.usage, hint: 'kubenet guide lists them' });
  if (task !== undefined && info.task !== task) {
    throw new KubenetError(`step ${step} belongs to ${info.task}, not ${task}`, { code: ExitCode.usage, hint: `kubenet explain ${info.task} --step ${step}` });
  }
  return info;
}
