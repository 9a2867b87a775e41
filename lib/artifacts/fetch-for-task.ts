// How a download task fetches its artifact: through the runner's progress and notices, with
// the options the user gave, and pinning the verified file so overlays never lose their base.
import { basename } from 'node:path';
import type { FetchResult } from '../download/types.js';
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
  const result = await fetchArtifact(artifact, {
    paths,
    ...(opts.mirror ? { mirror: opts.mirror } : {}),
    offline: opts.offline,
    signal: ctx.signal,
    onProgress: (p) => ctx.progress(formatProgress(p)),
    log: (line) => ctx.note(line),
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
