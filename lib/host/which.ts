// Finds an executable on PATH with a few stat calls (no child process: this runs on every start).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
