// Task files are discovered with globby. globby costs more to load than a no-op run may spend,
// so the file list of each folder is remembered in images/.kubenet/ and reused while the folder
// is unchanged (its mtime changes when a file is added, removed or renamed).
import { statSync } from 'node:fs';
import { readJson, writeJson } from '../fs/json-file.js';

interface Manifest {
  [dir: string]: { mtimeMs: number; files: string[] };
}

// NN-name.js (built-in, compiled) or NN-name.{ts,js,mjs} (a user's), never .d.ts.
export const taskFilePattern = /^\d\d-[a-z0-9-]+\.(?:ts|js|mjs)$/;

export async function discoverTaskFiles(
  dirs: readonly string[],
  manifest: { path: string; root: string } | undefined,
): Promise<Map<string, string[]>> {
  const known = (manifest ? readJson<Manifest>(manifest.path) : undefined) ?? {};
  const found = new Map<string, string[]>();
  let changed = false;
  for (const dir of dirs) {
    const mtimeMs = statSync(dir).mtimeMs;
    const remembered = known[dir];
    if (remembered && remembered.mtimeMs === mtimeMs) {
      found.set(dir, remembered.files);
      continue;
    }
    const { globby } = await import('globby');
    const files = (await globby(['[0-9][0-9]-*.{ts,js,mjs}', '!*.d.ts'], { cwd: dir, onlyFiles: true }))
      .filter((f) => taskFilePattern.test(f))
      .sort();
    found.set(dir, files);
    known[dir] = { mtimeMs, files };
    changed = true;
  }
  // No images/.kubenet yet, or read-only: discover next time. A link in its place is left to the run's own writes to
  // refuse, by name.
  if (changed && manifest)
    await writeJson(manifest.path, known, { root: manifest.root, createDir: false }).catch(() => undefined);
  return found;
}
