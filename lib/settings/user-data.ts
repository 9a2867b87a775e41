// --user-data, checked before any work: the file is there, starts the way cloud-init requires,
// and a #cloud-config is YAML whose top level is a mapping. cloud-init silently ignores anything
// else — a guest that boots fine and then lets nobody log in.
import { readFileSync } from 'node:fs';
import { ExitCode, KubenetError } from '../errors.js';

// What cloud-init acts on (its "user data formats"); #cloud-config is the one kubenet checks deeply.
const headers = ['#cloud-config', '#!', '#include', '#cloud-boothook', '#part-handler', '## template: jinja', 'Content-Type: multipart/'];

export async function checkUserData(path: string, given: string): Promise<void> {
  const usage = (what: string, hint: string) => new KubenetError(`${given} ${what}`, { code: ExitCode.usage, hint });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw usage(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`, 'give the path of your cloud-init user-data file (#cloud-config YAML)');
  }
  const first = text.split('\n', 1)[0]!.trimEnd();
  if (!headers.some((h) => first.startsWith(h))) {
    throw usage(`does not start with #cloud-config (its first line is ${JSON.stringify(first.slice(0, 60))})`, 'cloud-init ignores user-data without a #cloud-config first line (or another format header): the guest would boot and nobody could log in');
  }
  if (!first.startsWith('#cloud-config')) return;
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    throw usage(`is not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${error.message.split('\n')[0]}`, 'cloud-init would ignore all of it; fix the line above (a YAML linter helps)');
  }
  const top = doc.toJS() as unknown;
  if (top !== null && (typeof top !== 'object' || Array.isArray(top))) {
    throw usage('is YAML, but not a mapping of keys (password:, users:, …)', 'a #cloud-config is a YAML mapping, e.g. "password: ubuntu" on its own line');
  }
}
