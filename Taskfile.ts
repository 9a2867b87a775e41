// The task graph and the CLI's entry. Tasks live in tasks/NN-name.ts, one declaration each
// (see lib/task.ts); they are discovered with globby and imported only when a command needs them.
import { fileURLToPath } from 'node:url';
import { main } from './lib/cli/main.js';
import { Registry } from './lib/runner/registry.js';

export const tasksDir = fileURLToPath(new URL('./tasks/', import.meta.url));

export const openGraph = () => Registry.open(tasksDir);

export async function cli(argv: string[] = process.argv.slice(2)): Promise<number> {
  return main(argv, openGraph);
}
