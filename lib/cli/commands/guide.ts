// `kubenet guide`: the guide's numbered steps in order, each with the command that runs it
// alone, its status here, and the next thing to run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nameHere } from '../../runner/download-names.js';
import { guideRow, renderGuideMap, type GuideStep } from '../../explain/guide-map.js';
import { stepCommand } from '../../explain/step-label.js';
import { taskStatus } from '../../runner/run-tasks.js';
import { editionName, editionOf } from '../../task/editions.js';
import type { Download } from '../../task/types.js';
import type { CommandInput } from '../command-input.js';
import { cliName } from '../cli-name.js';

export async function guide({ options, graph, settings, paths, profile }: CommandInput<'guide'>): Promise<number> {
  const plan = { settings, paths, arch: profile.guestArch };
  const steps: GuideStep[] = [];
  for (const task of await graph.all()) {
    const status = task.outputs ? taskStatus(task, plan).status : undefined;
    for (const step of task.steps) {
      if (step.step === undefined) continue;
      const needed = (step.needs ?? []).filter((n): n is Download => typeof n !== 'string');
      steps.push({
        step: step.step,
        name: step.name,
        title: step.title,
        summary: step.summary,
        ...(step.onlyIn ? { onlyIn: step.onlyIn } : {}),
        task: task.name,
        command: stepCommand(task, step, graph.names),
        explain: `kubenet explain ${task.name} --step ${step.name}`,
        ...(status ? { taskStatus: status } : {}),
        makes: (step.makes ?? []).map((file) => ({ file, exists: existsSync(join(paths.root, file)) })),
        ...(step.vm ? { booted: existsSync(paths.vmFile(step.vm, 'serial.log')) } : {}),
        missing: needed
          .filter((d) => !['verified', 'yours'].includes(nameHere(d, profile.guestArch, { paths, settings }).state))
          .map((d) => d.name),
      });
    }
  }
  steps.sort((a, b) => a.step - b.step);
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(steps.map(guideRow), null, 2)}\n`);
    return 0;
  }
  const follows = editionOf(profile.hostOs);
  const host = `${profile.hostOs}-${profile.hostArch} host following ${editionName(follows)}`;
  const heading = `The guide, step by step (${host}, ${profile.guestArch} guests, files in ${paths.root})`;
  process.stdout.write(`${renderGuideMap(steps, heading, cliName(), follows)}\n`);
  // A download this host names otherwise than the guide (the live ISO), said once, with why.
  const tasks = await graph.all();
  for (const d of await graph.downloads(tasks)) {
    const here = nameHere(d, profile.guestArch, { paths, settings });
    const used = tasks
      .flatMap((t) => t.steps)
      .filter((s) => s.step !== undefined && (s.needs ?? []).some((n) => typeof n !== 'string' && n.name === d.name))
      .map((s) => s.step!)
      .sort((a, b) => a - b);
    if (here.renamed && used.length)
      process.stdout.write(
        `\nSteps ${used[0]}–${used.at(-1)} use ${here.file}, not ` +
          `the guide's ${here.renamed.guide}: ${here.renamed.why}.\n`,
      );
  }
  return 0;
}
