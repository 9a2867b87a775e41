// `kubenet explain <task|step> [--step N]`: a step's commands, option by option, as the guide
// writes them and as this host runs them.
import { ExitCode, isKubenetError, KubenetError } from '../../errors.js';
import { guideSideFor, hostSide } from '../../explain/sides.js';
import { renderStep } from '../../explain/render-step.js';
import { stepCommand } from '../../explain/step-label.js';
import { currentFacts } from '../../runner/facts.js';
import { findStep, resolveTarget, stepOf } from '../../runner/resolve-target.js';
import { planStep } from '../../task/plan-step.js';
import { mainStep } from '../../task/define.js';
import type { Download } from '../../task/types.js';
import { explainDownload } from '../../explain/explain-download.js';
import { nameHere } from '../../runner/download-names.js';
import type { CommandInput } from '../command-input.js';

export async function explain(input: CommandInput<'explain'>): Promise<number> {
  const { line, options, graph, settings, paths, profile } = input;
  const word = line.words[0];
  const stepWord = options.step;
  if (word === undefined && stepWord === undefined) {
    throw new KubenetError('explain needs a task, a step, or --step N', {
      code: ExitCode.usage,
      hint: 'e.g. kubenet explain network, or kubenet explain 02-live-cd --step 5 (kubenet guide lists the steps)',
    });
  }
  const target =
    word === undefined ? await findStep(graph, stepWord!) : await resolveTarget(graph, word, profile.guestArch);
  if (target.kind === 'download') {
    process.stdout.write(`${explainDownload(target.download, profile.guestArch, { paths, settings })}\n`);
    return ExitCode.ok;
  }
  const { task } = target;
  const step = stepWord !== undefined && word !== undefined ? stepOf(task, stepWord) : (target.step ?? mainStep(task));
  const downloads = await graph.downloads();
  const byName = async (name: string) => downloads.find((d) => d.name === name);
  const guide = guideSideFor(step, profile.guestArch);
  const guidePlan = await planStep(task, step, {
    arch: guide.arch,
    hostOs: guide.hostOs,
    facts: guide.facts,
    downloads: byName,
  });
  let host: Parameters<typeof renderStep>[0]['host'];
  try {
    const facts = await currentFacts(paths, profile, settings);
    const named = (d: Download) => nameHere(d, facts.profile.guestArch, { paths, settings });
    const renamed = (step.needs ?? [])
      .flatMap((n) => (typeof n === 'string' ? [] : [{ download: n, here: named(n) }]))
      .flatMap(({ download, here }) =>
        here.renamed ? [{ guide: download.file(facts.profile.guestArch), here: here.file, why: here.renamed.why }] : [],
      );
    const side = { ...hostSide(facts, settings.net), ...(renamed.length ? { renamed } : {}) };
    host = {
      side,
      plan: await planStep(task, step, {
        arch: side.arch,
        hostOs: side.hostOs,
        facts,
        settings,
        downloads: byName,
        fileOf: (d) => named(d).file,
      }),
    };
  } catch (error) {
    if (!isKubenetError(error)) throw error;
    host = { error: error.hint ? `${error.message}: ${error.hint}` : error.message };
  }
  const run = stepCommand(task, step, graph.names);
  process.stdout.write(
    `${renderStep({ step, run, hostOs: profile.hostOs, guide: { side: guide, plan: guidePlan }, host })}\n`,
  );
  return ExitCode.ok;
}
