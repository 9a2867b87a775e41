// A task is named in full (03-cloud-image), by number (03) or by name (cloud-image).
import { ExitCode, KubenetError } from '../errors.js';
import { splitName } from '../task.js';

export function resolveName(query: string, names: readonly string[]): string {
  if (names.includes(query)) return query;
  const matches = names.filter((name) => {
    const { number, short } = splitName(name);
    return number === query || short === query || (/^\d$/.test(query) && number === `0${query}`);
  });
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new KubenetError(`"${query}" names more than one task: ${matches.join(', ')}`, {
      code: ExitCode.usage,
      hint: 'name the task in full',
    });
  }
  const near = suggestions(query, names);
  throw new KubenetError(`unknown task "${query}"${near.length ? `: did you mean ${near.join(' or ')}?` : ''}`, {
    code: ExitCode.usage,
    hint: 'kubenet list shows every task',
  });
}

// Closest names by edit distance against the full name and the short name.
export function suggestions(query: string, names: readonly string[], max = 2): string[] {
  const scored = names.map((name) => {
    const { short } = splitName(name);
    const d = Math.min(distance(query, name), distance(query, short));
    return { name, d };
  });
  const limit = Math.max(2, Math.floor(query.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}

// Levenshtein distance, two rows.
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
