// Which files under images/ are one VM's, read from the task files that make and boot it: the
// files made once by the steps that boot it and the earlier steps they need (ubuntu0: ubuntu0.img
// and its seed; live-cd: ubuntu.img), the folder a step done for several VMs keeps per VM
// (gateway/: its disk and seed), and its own folder under vm/. Downloads are never a VM's, nor a
// file another VM's steps make too. Also the tasks whose records name those files (they run again).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Paths } from '../paths.js';
import { mainStep } from '../task/define.js';
import type { PlanContext, Step, Task } from '../task/types.js';

export interface VmFiles {
  vm: string;
  files: string[]; // absolute, those that exist
  tasks: string[]; // tasks that made some of them
}

// Every VM the tasks name: a step's vm, or the machines of a step done for several.
export function vmsOfTasks(tasks: readonly Task[], plan: PlanContext): string[] {
  return [
    ...new Set(
      tasks.flatMap((t) => t.steps.flatMap((s) => (s.vm ? [s.vm] : s.vms ? s.vms(plan).map((m) => m.name) : []))),
    ),
  ];
}

export function filesOfVm(tasks: readonly Task[], plan: PlanContext, paths: Paths, vm: string): VmFiles {
  const mine = new Set<string>();
  const others = new Set<string>();
  const made: string[] = [];
  for (const task of tasks) {
    const own = (step: Step): boolean => step.vm === vm || Boolean(step.vms?.(plan).some((m) => m.name === vm));
    const collect = (step: Step, into: Set<string>, seen = new Set<string>()): void => {
      if (seen.has(step.name)) return;
      seen.add(step.name);
      for (const file of step.makes ?? []) into.add(file);
      for (const need of step.needs ?? []) {
        const earlier = typeof need === 'string' ? task.steps.find((s) => s.name === need) : undefined;
        if (earlier) collect(earlier, into, seen);
      }
    };
    // What the steps it needs make is the VM's only in a task about the VM (its main step boots it:
    // 03-cloud-image's disk), not in one that merely tests with it (21-shared-network's gateway).
    const about = own(mainStep(task));
    for (const step of task.steps) {
      if (step.vms && step.make && step.vms(plan).some((m) => m.name === vm))
        mine.add(vm); // its folder, as vmsetup.sh makes it
      else if (own(step))
        about
          ? collect(step, mine)
          : (step.makes ?? []).forEach((f) => {
              mine.add(f);
            });
      else if (step.vm !== undefined) collect(step, others);
    }
    if ([...mine].some((f) => task.steps.some((s) => (s.makes ?? []).includes(f) || (s.vms && s.make && f === vm))))
      made.push(task.name);
  }
  const files = [...mine].filter((f) => !others.has(f)).map((f) => join(paths.root, f));
  return { vm, files: [...files, paths.vmDir(vm)].filter((p) => existsSync(p)), tasks: [...new Set(made)] };
}
