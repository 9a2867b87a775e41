// Task files are discovered with globby; the list is cached beside them and reused while the
// folder is unchanged, so a no-op run does not pay for loading globby.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  dirMtimeMs: number;
  files: string[];
}

const manifestName = '.tasks.json';

export async function discoverTaskFiles(dir: string): Promise<string[]> {
  const dirMtimeMs = statSync(dir).mtimeMs;
  const manifestPath = join(dir, manifestName);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.dirMtimeMs === dirMtimeMs) return manifest.files;
  } catch {
    // no manifest yet
  }
  const { globby } = await import('globby');
  const files = (await globby('[0-9][0-9]-*.js', { cwd: dir, onlyFiles: true })).sort();
  try {
    writeFileSync(manifestPath, JSON.stringify({ dirMtimeMs: statSync(dir).mtimeMs, files }));
  } catch {
    // read-only install: discovery simply runs each time
  }
  return files;
}
