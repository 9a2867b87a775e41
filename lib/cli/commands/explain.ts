// `kubenet explain <task|step> [--step N]`: a step's commands, option by option, as the guide
// writes them and as this host runs them.
import { downloadStatus } from '../../download/status.js';
import { describeSignature, signatureNeed, spacedFingerprint } from '../../download/verify/signature-policy.js';
import { ExitCode, isKubenetError, KubenetError } from '../../errors.js';
import { guideSideFor, hostSide } from '../../explain/sides.js';
import { renderStep } from '../../explain/render-step.js';
import { stepCommand } from '../../explain/step-label.js';
import { currentFacts } from '../../runner/facts.js';
import { findStep, resolveTarget, stepOf } from '../../runner/resolve-target.js';
import { planStep } from '../../task/plan-step.js';
import { mainStep } from '../../task/define.js';
import type { CommandInput } from '../command-input.js';
import { speak } from '../cli-name.js';

export async function explain({ line, graph, settings, paths, profile }: CommandInput): Promise<number> {
  const word = line.words[0];
  const stepWord = line.values.step as string | undefined;
  if (word === undefined && stepWord === undefined) {
    throw new KubenetError('explain needs a task, a step, or --step N', { code: ExitCode.usage, hint: 'e.g. kubenet explain network, or kubenet explain 02-live-cd --step 5 (kubenet guide lists the steps)' });
  }
  const target = word === undefined ? await findStep(graph, stepWord!) : await resolveTarget(graph, word, profile.guestArch);
  if (target.kind === 'download') {
    const d = target.download;
    const url = d.url(profile.guestArch);
    const { signer, trustedKeys } = signatureNeed(new URL(url), settings);
    const signedBy = !signer
      ? 'its host publishes no signature kubenet knows a key for: checked by digest only'
      : `whose signature (SHA256SUMS.gpg) must be by ${trustedKeys ? `a key of ${trustedKeys} (trusted-keys)` : `${signer.name} (${spacedFingerprint(signer.fingerprint)})`}`;
    const here = downloadStatus(paths, d.file(profile.guestArch));
    const now = here.state === 'verified' ? `verified; ${describeSignature(here.signature)}` : here.state === 'missing' ? 'not downloaded' : 'in images/, not verified';
    process.stdout.write(`${d.name}: ${d.title}\n  ${url}\n      fetched by the steps that need it, verified against SHA256SUMS in the same directory,\n      ${signedBy}\n  here: ${now}\n`);
    return ExitCode.ok;
  }
  const { task } = target;
  const step = stepWord !== undefined && word !== undefined ? stepOf(task, stepWord) : (target.step ?? mainStep(task));
  const downloads = await graph.downloads();
  const byName = async (name: string) => downloads.find((d) => d.name === name);
  const guide = guideSideFor(step, profile.guestArch);
  const guidePlan = await planStep(task, step, { arch: guide.arch, hostOs: guide.hostOs, facts: guide.facts, downloads: byName });
  let host: Parameters<typeof renderStep>[0]['host'];
  try {
    const facts = await currentFacts(paths, profile, settings);
    const side = hostSide(facts, settings.net);
    host = { side, plan: await planStep(task, step, { arch: side.arch, hostOs: side.hostOs, facts, settings, downloads: byName }) };
  } catch (error) {
    if (!isKubenetError(error)) throw error;
    host = { error: error.hint ? `${error.message}: ${error.hint}` : error.message };
  }
  const run = stepCommand(task, step, graph.names);
  process.stdout.write(`${speak(renderStep({ step, run, hostOs: profile.hostOs, guide: { side: guide, plan: guidePlan }, host }))}\n`);
  return ExitCode.ok;
}
