// `kubenet list`: every task in order with its title, deps and status.
import { taskStatus } from '../../runner/run-tasks.js';
import type { CommandInput } from '../main.js';

export async function list({ graph, ...plan }: CommandInput): Promise<number> {
  const rows = [];
  for (const task of await graph.all()) {
    const { status } = await taskStatus(task, plan);
    rows.push({
      name: task.name,
      title: task.title,
      guide: task.guide,
      deps: task.deps,
      status: status.state,
      ...('reason' in status ? { reason: status.reason } : {}),
    });
  }
  if (plan.opts.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const status = r.status === 'stale' ? `stale (${r.reason})` : r.status === 'always' ? `runs every time (${r.reason})` : r.status.replace('-', ' ');
    process.stdout.write(`${r.name.padEnd(width)}  ${r.title}\n${' '.repeat(width)}  ${r.guide}; deps: ${r.deps.join(', ') || '—'}; ${status}\n`);
  }
  return 0;
}
