// Guide step 9's download: the Ubuntu cloud image (qcow2), verified against SHA256SUMS,
// resumable, cached; rechecked upstream (a conditional request) on every run unless --offline.
import { defineDownloadTask } from '../lib/artifacts/download-task.js';
import { cloudImageArtifact } from '../lib/guide/artifacts.js';

export default defineDownloadTask({
  name: '13-cloud-img',
  title: 'Download and verify the Ubuntu cloud image',
  guide: 'step 9 (download)',
  artifact: cloudImageArtifact,
});
