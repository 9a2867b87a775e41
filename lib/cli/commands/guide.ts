// `kubenet guide`: the chapter's steps in order, each with the command that runs it alone,
// its status here, and the next thing to run.
import { existsSync } from 'node:fs';
import { guideRows, renderGuideMap, type GuideProgress } from '../../explain/guide-map.js';
import { taskStatus } from '../../runner/run-tasks.js';
import type { CommandInput } from '../main.js';

const trackedTasks = ['00-qemu', '12-live-iso', '13-cloud-img'] as const;

export async function guide({ graph, ...plan }: CommandInput): Promise<number> {
  const { paths, profile, opts } = plan;
  const tasks: GuideProgress['tasks'] = {};
  for (const name of trackedTasks) {
    if (!graph.names.includes(name)) continue;
    tasks[name] = (await taskStatus(await graph.load(name), plan)).status;
  }
  const booted = (vm: string) => existsSync(paths.vmFile(vm, 'serial.log'));
  const rows = guideRows({
    tasks,
    files: { disk: existsSync(paths.disk('live-cd')), overlay: existsSync(paths.disk('ubuntu0')), seed: existsSync(paths.seed) },
    booted: { machine: booted('machine'), 'live-cd': booted('live-cd'), ubuntu0: booted('ubuntu0') },
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const heading = `Chapter 1 — running VMs with QEMU (${profile.hostOs}-${profile.hostArch} host, ${profile.guestArch} guests, artifacts in ${paths.root})`;
  process.stdout.write(`${renderGuideMap(rows, heading)}\n`);
  return 0;
}
