// Task files written into a temp folder, so the runner can be tested on a graph of our choosing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const api = pathToFileURL(fileURLToPath(new URL('../../lib/index.js', import.meta.url))).href;

export interface FakeTask {
  name: string;
  deps?: string[];
  // body of `async run(ctx)`; may use `fs` (node:fs/promises), `out` (the output path) and `paths`
  run?: string;
  output?: boolean; // declares images/<name>.out as its output
  input?: string; // a value input read from process.env[input]
}

export function writeFakeTasks(dir: string, tasks: FakeTask[]): void {
  for (const t of tasks) {
    const out = `join(paths.root, '${t.name}.out')`;
    writeFileSync(
      join(dir, `${t.name}.js`),
      `import { task } from '${api}';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
export default task({
  name: '${t.name}', title: 'fake ${t.name}', deps: ${JSON.stringify(t.deps ?? [])},
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
