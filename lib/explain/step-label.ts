// How a step is run on its own, in the words the CLI accepts: a one-step task by its name; a
// step by its name where that names it alone, else by its number in the guide.
import { taskNameOf } from '../runner/resolve-target.js';
import type { Step, Task } from '../task/types.js';

export function stepCommand(task: Task, step: Step, taskNames: readonly string[]): string {
  if (task.steps.length === 1) return `kubenet run ${task.name}`;
  if (taskNameOf(step.name, taskNames) === undefined) return `kubenet run ${step.name}`;
  if (step.step !== undefined) return `kubenet run ${step.step}`;
  return `kubenet run ${task.name} --step ${step.name}`;
}
