// Guide step 5's download: `wget …/jammy-desktop-arm64.iso`, verified against SHA256SUMS,
// resumable, cached; rechecked upstream (a conditional request) on every run unless --offline.
import { fetchForTask } from '../lib/artifacts/fetch-for-task.js';
import { liveIsoArtifact } from '../lib/guide/artifacts.js';
import { guideFileNames } from '../lib/guide/guide-files.js';
import { defineTask } from '../lib/task.js';

export default defineTask({
  name: '12-live-iso',
  title: 'Download and verify the Ubuntu live ISO',
  guide: 'step 5 (download)',
  deps: [],
  inputs: ({ profile }) => ({ values: { url: liveIsoArtifact(profile.guestArch).url } }),
  outputs: ({ paths, profile }) => [paths.artifact(guideFileNames(profile.guestArch).liveIso)],
  artifacts: ({ profile }) => [liveIsoArtifact(profile.guestArch)],
  revalidate: 'asks upstream whether SHA256SUMS changed',
  run: async (ctx) => void (await fetchForTask(ctx, liveIsoArtifact(ctx.profile.guestArch))),
});
