// The guide's cloud-init "bash templates" (cloud-init/user-data.<type>, network-config.<type>)
// rendered without a shell. vmsetup.sh feeds them to `eval "cat << EOF …"`, which would run any
// command a template holds; kubenet reads the same text but knows only what such templates use:
// $name and ${name} from the values given, $(<FILE) for a file's contents (the guide's
// $(<~/.ssh/id_rsa.pub)), and the here-document escapes \$ \` \\. Anything else that a shell would
// run is refused with its line and column, and an unknown name is an error, not an empty string.
import { readSmallFile } from '../fs/read-small-file.js';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';

export interface TemplateInput {
  text: string;
  values: Record<string, string | number>;
  name: string; // the template's file name, for errors
  cwd: string; // where a relative $(<FILE) is read from (images/)
  home?: string;
}

export function renderTemplate({ text, values, name, cwd, home = homedir() }: TemplateInput): string {
  let out = '';
  let i = 0;
  const where = (at: number) => {
    const before = text.slice(0, at).split('\n');
    return `${name}, line ${before.length}, column ${before.at(-1)!.length + 1}`;
  };
  const fail = (at: number, what: string, hint: string) =>
    new KubenetError(`${where(at)}: ${what}`, { code: ExitCode.usage, hint });
  const value = (key: string, at: number) => {
    if (!(key in values))
      throw fail(
        at,
        `$${key} is not a value kubenet knows`,
        `the values: ${Object.keys(values)
          .map((k) => `$${k}`)
          .join(', ')}; write \\$ for a literal $`,
      );
    return String(values[key]);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && '$`\\'.includes(text[i + 1]!)) {
      out += text[i + 1];
      i += 2;
    } else if (ch === '`') {
      throw fail(
        i,
        "a backquote would run a command in the guide's eval",
        'kubenet never runs template text: write \\` for a literal backquote',
      );
    } else if (ch !== '$') {
      out += ch;
      i += 1;
    } else if (text.startsWith('$(<', i)) {
      const end = text.indexOf(')', i);
      if (end < 0) throw fail(i, '$(< without its )', 'e.g. $(<~/.ssh/id_rsa.pub)');
      out += readIncluded(text.slice(i + 3, end).trim(), cwd, home, () =>
        fail(
          i,
          `cannot read ${text.slice(i + 3, end).trim()}`,
          'give a file that exists, e.g. $(<~/.ssh/id_ed25519.pub), or use ${ssh_public_key}',
        ),
      );
      i = end + 1;
    } else if (text[i + 1] === '(') {
      throw fail(
        i,
        "a command substitution $( … ) would run a command in the guide's eval",
        "kubenet never runs template text: only $(<FILE) is read (a file's contents); write \\$ for a literal $",
      );
    } else if (text[i + 1] === '{') {
      const end = text.indexOf('}', i);
      const key = end < 0 ? '' : text.slice(i + 2, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
        throw fail(
          i,
          `\${…} holds ${JSON.stringify(key)}, not a plain name`,
          'only ${name} is understood (no defaults, no expressions)',
        );
      out += value(key, i);
      i = end + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
      if (m) {
        out += value(m[0], i);
        i += 1 + m[0].length;
      } else {
        out += '$'; // a lone $ is itself in a here-document too
        i += 1;
      }
    }
  }
  return out;
}

// $(<FILE) is the file without its trailing newlines, as the shell gives it.
function readIncluded(file: string, cwd: string, home: string, error: () => KubenetError): string {
  const path =
    file === '~' || file.startsWith('~/') ? resolve(home, file.slice(2)) : isAbsolute(file) ? file : resolve(cwd, file);
  try {
    return readSmallFile(path, file).replace(/\n+$/, '');
  } catch (cause) {
    if (cause instanceof KubenetError) throw cause; // a FIFO, a device, a file too big: said as such
    throw error();
  }
}
