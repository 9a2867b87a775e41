// Runs one of the scripts that build a test guest (scripts/build-*-guest.sh) and reads the
// `key=value` lines it prints. The scripts cache their result, so a second call is quick.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, KubenetError } from '../../lib/errors.js';

export function runGuestScript(name: string, args: string[], what: string): Promise<Map<string, string>> {
  const script = join(repoRoot(name), 'scripts', name);
  return new Promise((resolve, reject) => {
    execFile('bash', [script, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new KubenetError(`could not build ${what}`, {
            code: ExitCode.host,
            cause: error,
            details: stderr.split('\n').slice(-20).join('\n'),
            hint:
              `Run 'sudo bash ${script} ${args.join(' ')}' once on a Debian 12 machine ` +
              `with apt access; it installs what it needs and caches the result.`,
          }),
        );
        return;
      }
      resolve(
        new Map(
          stdout
            .split('\n')
            .filter((line) => line.includes('='))
            .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
        ),
      );
    });
  });
}

// The values a script must print, or an error saying it printed none.
export function required(values: Map<string, string>, keys: string[], script: string): string[] {
  const found = keys.map((key) => values.get(key));
  if (found.some((v) => !v)) {
    throw new KubenetError(`scripts/${script} did not print ${keys.join(', ')}`, {
      hint: 'Run the script by hand to see what it does.',
    });
  }
  return found as string[];
}

// The folder holding package.json and scripts/, found from this file's place in test/ or dist/test/.
function repoRoot(script: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'scripts', script))) {
    const parent = dirname(dir);
    if (parent === dir) throw new KubenetError(`cannot find scripts/${script} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}
