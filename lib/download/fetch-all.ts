// `kubenet prefetch`: every artifact at once, and one key for CI caches.
import { createHash } from 'node:crypto';
import { ExitCode, KubenetError, isKubenetError } from '../errors.js';
import { fetchArtifact } from './fetch-artifact.js';
import type { Artifact, FetchOptions, FetchResult } from './types.js';

// In parallel; after all have settled, rejects with one error naming every failure.
export async function fetchAll(artifacts: Artifact[], options: FetchOptions): Promise<FetchResult[]> {
  const unique = [...new Map(artifacts.map((a) => [a.url, a])).values()];
  const settled = await Promise.allSettled(unique.map((artifact) => fetchArtifact(artifact, options)));
  const failures = settled.flatMap((s, i) =>
    s.status === 'rejected' ? [{ url: unique[i]!.url, error: s.reason as unknown }] : [],
  );
  if (failures.length === 0) return settled.map((s) => (s as PromiseFulfilledResult<FetchResult>).value);
  const lines = failures.map(
    ({ url, error }) =>
      `  ${url}: ${(error as Error)?.message ?? String(error)}` +
      `${isKubenetError(error) && error.hint ? `\n    → ${error.hint}` : ''}`,
  );
  const codes = new Set(failures.map(({ error }) => (isKubenetError(error) ? error.code : ExitCode.download)));
  const [code] = codes;
  // "Run again" only helps a network failure; a full disk or a refused link needs the user first.
  const first = failures[0]!.error;
  const hint =
    codes.size === 1 && code === ExitCode.download
      ? 'Run again to resume the failed downloads; the others are cached.'
      : codes.size === 1 && isKubenetError(first) && first.hint
        ? first.hint
        : 'Fix what each failure above names, then run again: finished downloads are cached and partial ones resume.';
  throw new KubenetError(`${failures.length} of ${unique.length} downloads failed`, {
    code: codes.size === 1 ? code! : ExitCode.download,
    details: lines.join('\n'),
    hint,
    cause: first,
  });
}

// Stable for a set of artifacts whatever their order: hash of sorted "name sha256" lines.
export function cacheKey(results: FetchResult[]): string {
  const lines = results.map((r) => `${r.name} ${r.sha256}`).sort();
  return `kubenet-images-${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32)}`;
}
