// Every way to name a task on the command line: 03-cloud-image, 03, cloud-image.
import { splitName } from '../task.js';

export function taskWords(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const { number, short } = splitName(name);
    out.push(name, ...(number ? [number, short] : []));
  }
  return [...new Set(out)];
}
