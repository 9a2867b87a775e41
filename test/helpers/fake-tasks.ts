// Task files written into a temp folder, so the runner can be tested on a graph of our choosing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const taskModule = pathToFileURL(fileURLToPath(new URL('../../lib/task.js', import.meta.url))).href;

export interface FakeTask {
  name: string;
  deps?: string[];
  // body of `async run(ctx)`; may use `fs` (node:fs/promises) and `out` (the output path)
  run?: string;
  output?: boolean; // declares images/<name>.out as its output
  input?: string; // a value input read from process.env[input]
}

export function writeFakeTasks(dir: string, tasks: FakeTask[]): void {
  for (const t of tasks) {
    const out = `join(paths.root, '${t.name}.out')`;
    writeFileSync(
      join(dir, `${t.name}.js`),
      `import { defineTask } from '${taskModule}';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
export default defineTask({
  name: '${t.name}', title: 'fake ${t.name}', guide: 'test', deps: ${JSON.stringify(t.deps ?? [])},
  inputs: () => ({ values: { v: ${t.input ? `process.env.${t.input} ?? ''` : "'fixed'"} } }),
  ${t.output === false ? '' : `outputs: ({ paths }) => [${out}],`}
  async run(ctx) {
    const { paths } = ctx;
    const out = ${out};
    await fs.appendFile(join(paths.root, 'runs.log'), '${t.name}\\n');
    ${t.run ?? "await fs.writeFile(out, 'made by ' + ctx.task);"}
  },
});
`,
    );
  }
}
