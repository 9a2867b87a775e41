// Closest names by edit distance, for "did you mean …?".
export function suggestions(query: string, names: readonly string[], max = 2): string[] {
  const scored = names.map((name) => {
    const short = name.replace(/^\d\d-/, '');
    return { name, d: Math.min(distance(query, name), distance(query, short)) };
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
