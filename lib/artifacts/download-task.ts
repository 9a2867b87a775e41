// A download task is always the same declaration around one artifact: its URL is the input, the
// file under its upstream name the output, and every run asks upstream (cheaply) for news.
import { basename } from 'node:path';
import type { GuestArch } from '../host/types.js';
import { defineTask, type Task } from '../task.js';
import { fetchForTask } from './fetch-for-task.js';

export interface DownloadTaskSpec {
  name: string;
  title: string;
  guide: string;
  artifact: (arch: GuestArch) => { url: string };
}

export function defineDownloadTask({ artifact, ...declared }: DownloadTaskSpec): Task {
  return defineTask({
    ...declared,
    deps: [],
    inputs: ({ profile }) => ({ values: { url: artifact(profile.guestArch).url } }),
    outputs: ({ paths, profile }) => [paths.artifact(basename(new URL(artifact(profile.guestArch).url).pathname))],
    artifacts: ({ profile }) => [artifact(profile.guestArch)],
    revalidate: 'asks upstream whether SHA256SUMS changed',
    run: async (ctx) => void (await fetchForTask(ctx, artifact(ctx.profile.guestArch))),
  });
}
