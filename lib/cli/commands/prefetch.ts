// `kubenet prefetch [task…]`: every artifact those tasks need (all by default), fetched in
// parallel and verified, then a manifest — and with --cache-key, one key for CI caches.
import { ExitCode, KubenetError } from '../../errors.js';
import type { FetchResult, Progress } from '../../download/types.js';
import { formatBytes, formatProgress } from '../../runner/format-progress.js';
import { createReporter, isInteractive } from '../../runner/reporter.js';
import type { CommandInput } from '../main.js';

export async function prefetch({ graph, ...plan }: CommandInput): Promise<number> {
  const { opts, paths } = plan;
  const tasks = opts.names.length ? await graph.plan(opts.names.map((n) => graph.resolve(n))) : await graph.all();
  const artifacts = tasks.flatMap((t) => t.artifacts?.(plan) ?? []);
  if (!artifacts.length) {
    throw new KubenetError(`${opts.names.join(', ') || 'no task'} downloads nothing`, { code: ExitCode.usage, hint: 'kubenet list shows the tasks; 12-live-iso and 13-cloud-img download' });
  }
  const reporter = createReporter({ verbose: opts.verbose, interactive: isInteractive() && !opts.json });
  const controller = new AbortController();
  // A closed terminal (SIGHUP) stops a download as Ctrl-C does: the lock released, the partial kept.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = () => controller.abort();
  for (const signal of signals) process.once(signal, onSignal);
  const { fetchAll, cacheKey } = await import('../../download/index.js');
  let results: FetchResult[];
  try {
    if (!opts.json) await reporter.start('prefetch', `${artifacts.length} artifact${artifacts.length === 1 ? '' : 's'}`);
    results = await fetchAll(artifacts, {
      paths,
      ...(opts.mirror ? { mirror: opts.mirror } : {}),
      offline: opts.offline,
      signal: controller.signal,
      // --json keeps stdout for the manifest alone.
      ...(opts.json ? {} : { onProgress: (p: Progress) => reporter.progress('prefetch', formatProgress(p)) }),
      log: (line) => (opts.json ? process.stderr.write(`${line}\n`) : reporter.note('prefetch', line)),
    });
    if (!opts.json) reporter.done('prefetch', 'all verified');
  } catch (error) {
    if (!opts.json) reporter.failed('prefetch', 'failed');
    throw error;
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
  const manifest = results.map((r) => ({ name: r.name, url: r.url, path: r.path, size: r.size, sha256: r.sha256, status: r.status }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(opts.cacheKey ? { artifacts: manifest, cacheKey: cacheKey(results) } : manifest, null, 2)}\n`);
    return ExitCode.ok;
  }
  for (const m of manifest) process.stdout.write(`${m.name}  ${formatBytes(m.size)}  sha256:${m.sha256}  ${m.status}\n`);
  if (opts.cacheKey) process.stdout.write(`cache-key: ${cacheKey(results)}\n`);
  return ExitCode.ok;
}
