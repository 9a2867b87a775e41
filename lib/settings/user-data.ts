// --user-data, checked before any work: the file is there, starts the way cloud-init requires,
// and a #cloud-config is YAML whose top level is a mapping. cloud-init silently ignores anything
// else — a guest that boots fine and then lets nobody log in. A user-data file holds passwords
// and keys: an error says where it is wrong, never what it holds (KUBENET_USER_DATA=/etc/shadow
// must not print a line of it).
import { ExitCode, KubenetError } from '../errors.js';
import { readSmallFile } from '../fs/read-small-file.js';
import { parseYaml } from './parse-yaml.js';

// What cloud-init acts on (its "user data formats"); #cloud-config is the one kubenet checks deeply.
const headers = [
  '#cloud-config',
  '#!',
  '#include',
  '#cloud-boothook',
  '#part-handler',
  '## template: jinja',
  'Content-Type: multipart/',
];

// The file's text, read with bounds (a regular file of at most 1 MiB).
export function readUserData(path: string, given: string): string {
  const usage = (what: string) =>
    new KubenetError(`${given} ${what}`, {
      code: ExitCode.usage,
      hint: 'give the path of your cloud-init user-data file (#cloud-config YAML)',
    });
  try {
    return readSmallFile(path, given);
  } catch (cause) {
    if (cause instanceof KubenetError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw usage(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`);
  }
}

export async function checkUserData(path: string, given: string): Promise<void> {
  const usage = (what: string, hint: string) => new KubenetError(`${given} ${what}`, { code: ExitCode.usage, hint });
  const text = readUserData(path, given);
  const first = text.split('\n', 1)[0]!.trimEnd();
  if (!headers.some((h) => first.startsWith(h))) {
    throw usage(
      'does not start with #cloud-config (or another header cloud-init acts on)',
      `its first line must be #cloud-config: cloud-init ignores user-data without one, and the guest ` +
        `would boot with nobody able to log in (kubenet does not show the line: the file may hold secrets)`,
    );
  }
  if (!first.startsWith('#cloud-config')) return;
  const top = await parseYaml(text, given, { quiet: true });
  if (top !== null && (typeof top !== 'object' || Array.isArray(top))) {
    throw usage(
      'is YAML, but not a mapping of keys (password:, users:, …)',
      'a #cloud-config is a YAML mapping, e.g. "password: ubuntu" on its own line',
    );
  }
}
