// Guide step 9's download: the Ubuntu cloud image (qcow2), verified against SHA256SUMS,
// resumable, cached; rechecked upstream on every run unless --offline.
import { fetchForTask } from '../lib/artifacts/fetch-for-task.js';
import { cloudImageArtifact } from '../lib/guide/artifacts.js';
import { guideFileNames } from '../lib/guide/guide-files.js';
import { defineTask } from '../lib/task.js';

export default defineTask({
  name: '13-cloud-img',
  title: 'Download and verify the Ubuntu cloud image',
  guide: 'step 9 (download)',
  deps: [],
  inputs: ({ profile }) => ({ values: { url: cloudImageArtifact(profile.guestArch).url } }),
  outputs: ({ paths, profile }) => [paths.artifact(guideFileNames(profile.guestArch).cloudImage)],
  artifacts: ({ profile }) => [cloudImageArtifact(profile.guestArch)],
  revalidate: 'asks upstream whether SHA256SUMS changed',
  run: async (ctx) => void (await fetchForTask(ctx, cloudImageArtifact(ctx.profile.guestArch))),
});
