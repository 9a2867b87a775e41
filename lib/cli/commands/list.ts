// `kubenet list`: every task in order with its steps and status, then the downloads.
import { nameHere } from '../../runner/download-names.js';
import { describeSignature } from '../../download/verify/signature-policy.js';
import { onlyInLabel } from '../../task/editions.js';
import { taskStatus } from '../../runner/run-tasks.js';
import type { Task } from '../../task/types.js';
import type { CommandInput } from '../command-input.js';

export async function list({ options, graph, settings, paths, profile }: CommandInput<'list'>): Promise<number> {
  const plan = { settings, paths, arch: profile.guestArch };
  const tasks = await graph.all();
  const rows = tasks.map((task) => {
    const { status } = taskStatus(task, plan);
    return {
      name: task.name,
      title: task.title,
      deps: task.deps,
      status: status.state,
      ...('reason' in status ? { reason: status.reason } : {}),
      steps: task.steps.map((s) => ({
        step: s.step,
        name: s.name,
        title: s.title,
        ...(s.onlyIn ? { onlyIn: s.onlyIn.edition, edition: onlyInLabel(s.onlyIn) } : {}),
        needs: (s.needs ?? []).map((n) => (typeof n === 'string' ? n : n.name)),
      })),
      ...(graph.isBuiltIn(task.name) ? {} : { source: task.source }),
    };
  });
  const downloads = (await graph.downloads(tasks)).map((d) => {
    const here = nameHere(d, profile.guestArch, { paths, settings });
    const verified = here.state === 'verified' ? { signature: here.signature } : {};
    return {
      name: d.name,
      file: here.file,
      url: d.url(profile.guestArch),
      title: d.title,
      status: here.state,
      ...verified,
      ...(here.renamed ? { instead: here.renamed } : {}),
      neededBy: neededBy(tasks, d.name),
    };
  });
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify({ tasks: rows, downloads }, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  for (const r of rows) {
    const status =
      r.status === 'stale'
        ? `stale (${r.reason})`
        : r.status === 'always'
          ? `runs every time (${r.reason})`
          : r.status.replace('-', ' ');
    out.push(`${r.name}  ${r.title}${r.source ? `  [${r.source}]` : ''}`);
    out.push(`    deps: ${r.deps.join(', ') || '—'}; ${status}`);
    if (r.steps.length > 1 || r.steps[0]?.step !== undefined) {
      for (const s of r.steps) {
        const number = s.step === undefined ? '  ' : String(s.step).padStart(2);
        out.push(
          `    ${number}  ${s.name.padEnd(14)} ` +
            `${s.title}${s.edition ? ` [${s.edition}]` : ''}${s.needs.length ? `  (needs ${s.needs.join(', ')})` : ''}`,
        );
      }
    }
  }
  out.push('', 'downloads (fetched when a step needs them; kubenet prefetch fetches them all):');
  const states: Record<string, string> = { missing: 'not downloaded', yours: 'yours, used where it is' };
  for (const d of downloads) {
    out.push(`  ${d.name.padEnd(10)} ${d.file}  ${states[d.status] ?? d.status}; needed by ${d.neededBy.join(', ')}`);
    if (d.signature) out.push(`  ${''.padEnd(10)} ${describeSignature(d.signature)}`);
    if (d.instead) out.push(`  ${''.padEnd(10)} (not the guide's ${d.instead.guide}: ${d.instead.why})`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function neededBy(tasks: readonly Task[], name: string): string[] {
  return tasks.flatMap((t) =>
    t.steps
      .filter((s) => (s.needs ?? []).some((n) => typeof n !== 'string' && n.name === name))
      .map((s) => `${t.name} ${s.name}`),
  );
}
