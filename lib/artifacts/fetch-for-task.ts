// How a download task fetches its artifact: through the runner's progress and notices, with
// the options the user gave, and pinning the verified file so overlays never lose their base.
import { basename } from 'node:path';
import type { FetchResult, Progress } from '../download/types.js';
import { ExitCode, isKubenetError } from '../errors.js';
import { formatProgress } from '../runner/format-progress.js';
import type { TaskContext } from '../task.js';
import { pinArtifact } from './pin.js';

export async function fetchForTask(ctx: TaskContext, artifact: { url: string }): Promise<FetchResult | undefined> {
  const { opts, paths } = ctx;
  if (ctx.dryRun) {
    ctx.show({ exe: 'wget', args: [artifact.url] });
    return undefined;
  }
  const { fetchArtifact } = await import('../download/index.js');
  const options = {
    paths,
    ...(opts.mirror ? { mirror: opts.mirror } : {}),
    offline: opts.offline,
    signal: ctx.signal,
    onProgress: (p: Progress) => ctx.progress(formatProgress(p)),
    log: (line: string) => ctx.note(line),
  };
  const result = await fetchArtifact(artifact, options).catch(async (error: unknown) => {
    // A new image upstream that cannot be had now is no reason to stop when a verified copy is
    // here: say so and use it. (An upstream that cannot even be checked: fetchArtifact says so.)
    if (opts.offline || !isKubenetError(error) || error.code !== ExitCode.download) throw error;
    const cached = await fetchArtifact(artifact, { ...options, offline: true }).catch(() => undefined);
    if (!cached) throw error;
    ctx.note(`upstream could not be used (${error.message}); using the verified copy in the cache`);
    return cached;
  });
  ctx.digest(result.path, result.sha256);
  await pinArtifact(paths, result);
  const name = basename(result.path);
  const words: Record<FetchResult['status'], string> = {
    downloaded: 'downloaded and verified',
    resumed: 'download resumed, finished and verified',
    cached: 'cached copy is current',
    updated: 'upstream published a new image: downloaded and verified',
  };
  ctx.note(`${name}: ${words[result.status]} (sha256 ${result.sha256.slice(0, 16)}…)`);
  return result;
}
