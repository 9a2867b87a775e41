// Every way to name something `run` takes: a task in full, by number and by short name; the
// steps by name and number; the downloads by name.
import { splitName } from '../../task/define.js';
import type { Download, Task } from '../../task/types.js';

export function taskWords(tasks: readonly Task[], downloads: readonly Download[]): string[] {
  const out: string[] = [];
  for (const task of tasks) {
    const { number, short } = splitName(task.name);
    out.push(task.name, ...(number ? [number, short] : []));
    for (const step of task.steps) out.push(step.name, ...(step.step === undefined ? [] : [String(step.step)]));
  }
  out.push(...downloads.map((d) => d.name));
  return [...new Set(out)];
}
