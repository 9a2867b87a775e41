// `kubenet prefetch [task…]`: every artifact those tasks need (all by default), fetched in
// parallel and verified, then a manifest — and with --cache-key, one key for CI caches.
import { ExitCode, KubenetError } from '../../errors.js';
import { checkImagesDir } from '../../fs/images-dir.js';
import type { FetchResult, Progress } from '../../download/types.js';
import { formatBytes, formatProgress } from '../../runner/format-progress.js';
import { createReporter, isInteractive } from '../../runner/reporter.js';
import { onStopSignals } from '../../runner/stop-signals.js';
import { artifactOf, chosenFor } from '../../runner/download-names.js';
import { resolveTarget } from '../../runner/resolve-target.js';
import type { Download, Step, Task } from '../../task/types.js';
import type { CommandInput } from '../command-input.js';
import { fetchAll, cacheKey } from '../../download/index.js';

export async function prefetch(input: CommandInput<'prefetch'>): Promise<number> {
  const { line, options, graph, settings, paths, profile } = input;
  const opts = {
    json: options.json === true,
    cacheKey: options['cache-key'] === true,
    mirror: settings.mirror,
    offline: settings.offline,
    verbose: settings.verbose,
  };
  const wanted = new Map<string, Download>();
  if (line.words.length === 0) for (const d of await graph.downloads()) wanted.set(d.name, d);
  for (const word of line.words) {
    const target = await resolveTarget(graph, word, profile.guestArch);
    if (target.kind === 'download') wanted.set(target.download.name, target.download);
    else for (const d of needsOf(target.task, target.step ? [target.step] : target.task.steps)) wanted.set(d.name, d);
  }
  // The user's own file (--live-iso FILE) is used where it is: there is nothing to fetch.
  const yours = [...wanted.values()].flatMap((d) => {
    const chosen = chosenFor(d, settings);
    return chosen && 'file' in chosen ? [{ d, chosen }] : [];
  });
  const artifacts = [...wanted.values()]
    .filter((d) => !yours.some((y) => y.d === d))
    .map((d) => artifactOf(d, profile.guestArch, settings));
  for (const { d, chosen } of yours)
    process.stderr.write(
      `kubenet: ${d.name}: nothing to fetch: ${chosen.from} names your own ${chosen.file}, used where it is\n`,
    );
  if (!artifacts.length && yours.length) return ExitCode.ok;
  if (!artifacts.length) {
    throw new KubenetError(`${line.words.join(', ') || 'no task'} downloads nothing`, {
      code: ExitCode.usage,
      hint: 'kubenet list shows the downloads and the steps that need them',
    });
  }
  await checkImagesDir(paths.root, { write: true });
  const reporter = createReporter({ verbose: opts.verbose, interactive: isInteractive() && !opts.json });
  // A closed terminal (SIGHUP) stops a download as Ctrl-C does: the lock released, the partial kept.
  const stop = onStopSignals();
  let results: FetchResult[];
  try {
    if (!opts.json)
      await reporter.start('prefetch', `${artifacts.length} artifact${artifacts.length === 1 ? '' : 's'}`);
    results = await fetchAll(artifacts, {
      paths,
      ...(opts.mirror ? { mirror: opts.mirror } : {}),
      ...(settings.cache ? { cache: settings.cache } : {}),
      offline: opts.offline,
      trustedKeys: settings.trustedKeys,
      requireSignature: settings.requireSignature,
      signal: stop.signal,
      // --json keeps stdout for the manifest alone.
      ...(opts.json ? {} : { onProgress: (p: Progress) => reporter.progress('prefetch', formatProgress(p)) }),
      log: (text: string) => (opts.json ? process.stderr.write(`${text}\n`) : reporter.note('prefetch', text)),
    });
    if (!opts.json) reporter.done('prefetch', 'all verified');
  } catch (error) {
    if (!opts.json) reporter.failed('prefetch', 'failed');
    throw error;
  } finally {
    reporter.close();
    stop.dispose();
  }
  const manifest = results.map((r) => ({
    name: r.name,
    url: r.url,
    path: r.path,
    size: r.size,
    sha256: r.sha256,
    status: r.status,
    signature: r.signature ?? null,
  }));
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify(opts.cacheKey ? { artifacts: manifest, cacheKey: cacheKey(results) } : manifest, null, 2)}\n`,
    );
    return ExitCode.ok;
  }
  for (const m of manifest)
    process.stdout.write(`${m.name}  ${formatBytes(m.size)}  sha256:${m.sha256}  ${m.status}\n`);
  if (opts.cacheKey) process.stdout.write(`cache-key: ${cacheKey(results)}\n`);
  return ExitCode.ok;
}

// The downloads these steps use, and those of the earlier steps they need.
function needsOf(task: Task, steps: readonly Step[]): Download[] {
  return steps.flatMap((s) =>
    (s.needs ?? []).flatMap((n) =>
      typeof n === 'string'
        ? needsOf(
            task,
            task.steps.filter((e) => e.name === n),
          )
        : [n],
    ),
  );
}
