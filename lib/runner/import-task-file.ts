// Imports a task file. A user's TypeScript task (tasks/04-my-step.ts) is compiled on the fly by
// module hooks (./typescript-hooks.ts), which also let it `import … from 'kubenet'` wherever
// kubenet is installed; compiled JavaScript is imported as it is. kubenet's own tasks, where kubenet
// runs from its bundle (CommonJS: scripts/bundle.mjs), are required: a run that needs no user task
// starts no ES module loader.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ExitCode, KubenetError } from '../errors.js';
import type { Task } from '../task/types.js';

let hooked = false;

// This module is CommonJS in the bundle, an ES module in tsc's output (the tests').
const required = typeof require === 'function' ? require : undefined;

export async function importTaskFile(path: string, builtIn = false): Promise<Task> {
  if (path.endsWith('.ts')) {
    // Stack traces then name the .ts file's own lines (the compiled code carries a source map).
    if (!hooked) {
      process.setSourceMapsEnabled(true);
      register(new URL('./typescript-hooks.js', import.meta.url));
      hooked = true;
    }
  }
  let module: { default?: Task };
  try {
    module = (builtIn && required ? required(path) : await import(pathToFileURL(path).href)) as { default?: Task };
  } catch (cause) {
    const message = (cause as Error)?.message?.split('\n')[0] ?? String(cause);
    throw new KubenetError(`cannot load the task file ${path}: ${message}`, {
      code: ExitCode.graph,
      cause,
      hint: 'fix the file (kubenet --verbose shows the full error)',
    });
  }
  const task = module.default;
  if (!task || typeof task !== 'object' || !Array.isArray(task.steps)) {
    throw new KubenetError(`${path} must export default task({ name, title, … })`, {
      code: ExitCode.graph,
      hint: "import { task } from 'kubenet'",
    });
  }
  return task;
}
