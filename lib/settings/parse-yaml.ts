// YAML a user gives (kubenet.yaml, a #cloud-config user-data), parsed with bounds: aliases are
// counted (a "billion laughs" file of nested aliases expands exponentially: refused, not a crash
// with a stack trace), and an alias to nothing is a usage error like any other. `quiet`: the error
// says where, never what the file holds there (a user-data file may hold passwords).
import { ExitCode, KubenetError } from '../errors.js';

const maxAliases = 100; // far more than any settings file or seed uses

export async function parseYaml(text: string, given: string, { quiet = false } = {}): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const words = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new KubenetError(`${given} is not valid YAML${where}${quiet ? '' : `: ${words}`}`, {
      code: ExitCode.usage,
      cause: quiet ? undefined : error,
      hint: quiet
        ? 'fix that line (kubenet does not show it: the file may hold secrets)'
        : 'fix that line (a YAML linter helps)',
    });
  }
  try {
    return doc.toJS({ maxAliasCount: maxAliases });
  } catch (cause) {
    const bomb = /resource exhaustion|Excessive alias/i.test((cause as Error).message);
    throw new KubenetError(
      bomb
        ? `${given} uses YAML aliases (*name) more than ${maxAliases} ` +
            `times over: refused, as a file that expands without bound`
        : `${given} has an alias (*name) to no anchor (&name) before it`,
      {
        code: ExitCode.usage,
        hint: bomb
          ? 'write the values out instead of nesting aliases'
          : 'define the anchor before its first use, or write the value out',
      },
    );
  }
}
