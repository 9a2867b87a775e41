// Before any work: the disks the planned steps would keep are checked for the guest architecture
// by their own headers, so a mismatched --arch is refused before a download starts, not after.
import { join } from 'node:path';
import { checkArch } from '../disk/disk-arch.js';
import { readQcow2Backing } from '../disk/qcow2-header.js';
import { ownFile } from '../fs/no-follow.js';
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Download, Step, Task } from '../task/types.js';

// `downloads` (every download of the graph) is asked only when a kept disk has a backing file.
export async function preflightDisks(
  paths: Paths,
  arch: GuestArch,
  plan: { task: Task; step: Step }[],
  downloads: () => Promise<readonly Download[]>,
): Promise<void> {
  for (const { task, step } of plan) {
    for (const s of withNeeds(task, step)) {
      for (const file of s.makes ?? []) {
        const path = join(paths.root, file);
        if (!(await ownFile(path))) continue;
        const header = await readQcow2Backing(path);
        if (!header?.backing) continue;
        const files = (await downloads()).map((d) => ({ file: (a: GuestArch) => d.file(a) }));
        checkArch(file, header.backing, { arch, files, task: task.name });
      }
    }
  }
}

// The step and the earlier steps of its task whose files it uses.
function withNeeds(task: Task, step: Step): Step[] {
  const needed = (step.needs ?? []).flatMap((n) =>
    typeof n === 'string' ? withNeeds(task, task.steps.find((s) => s.name === n)!) : [],
  );
  return [...needed, step];
}
