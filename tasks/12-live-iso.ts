// Guide step 5's download: `wget …/jammy-desktop-arm64.iso`, verified against SHA256SUMS,
// resumable, cached; rechecked upstream (a conditional request) on every run unless --offline.
import { defineDownloadTask } from '../lib/artifacts/download-task.js';
import { liveIsoArtifact } from '../lib/guide/artifacts.js';

export default defineDownloadTask({
  name: '12-live-iso',
  title: 'Download and verify the Ubuntu live ISO',
  guide: 'step 5 (download)',
  artifact: liveIsoArtifact,
});
