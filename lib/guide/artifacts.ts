// What the chapter downloads (steps 5 and 9): the upstream "current" URLs, per guest arch.
// Ubuntu publishes SHA256SUMS beside each file.
import type { GuestArch } from '../host/types.js';
import { guideFileNames } from './guide-files.js';

export const liveIsoArtifact = (arch: GuestArch) => ({
  url: `https://cdimage.ubuntu.com/jammy/daily-live/current/${guideFileNames(arch).liveIso}`,
});

export const cloudImageArtifact = (arch: GuestArch) => ({
  url: `https://cloud-images.ubuntu.com/jammy/current/${guideFileNames(arch).cloudImage}`,
});
