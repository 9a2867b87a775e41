// The task graph and the CLI's entry. The chapter's tasks live in tasks/NN-name.ts, one task
// file per part of the guide; they are discovered with globby and imported only when a command
// needs them. A user's own tasks (./tasks, or --tasks DIR) join them.
import { fileURLToPath } from 'node:url';
import { main } from './lib/cli/main.js';

export const tasksDir = fileURLToPath(new URL('./tasks/', import.meta.url));
const packageRoot = fileURLToPath(new URL('../', import.meta.url));

export async function cli(argv: string[] = process.argv.slice(2)): Promise<number> {
  return main(argv, { builtInTasks: tasksDir, packageRoot });
}
