// Before an incremental build: remove what dist/ holds for sources that are gone (tsc never
// deletes an output), so a deleted task or test cannot live on as a ghost in dist/ — and anything
// that is not tsc's output at all (an older kubenet wrote dist/tasks/.tasks.json).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

function prune(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(path);
      continue;
    }
    if (entry.name === '.tsbuildinfo') continue;
    const source = relative(dist, path).replace(/\.d\.ts$|\.js$/, '.ts');
    if (source === relative(dist, path) || !existsSync(join(root, source))) rmSync(path);
  }
}
prune(dist);
