// The Ubuntu cloud image, as the guide downloads it (chapter 1, "Cloud image"): chapter 1's
// ubuntu0.img is a disk over it (03-cloud-image), and so is each VM's of the cluster
// (20-vm-images). Declared here, for both tasks — and a task of yours — to name it.
import { download } from './define.js';

// The guide: wget https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img
export const cloudImage = download({
  name: 'cloud-img',
  title: 'the Ubuntu server cloud image (qcow2)',
  formerly: '13-cloud-img',
  url: ({ ubuntuArch }) => `https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-${ubuntuArch}.img`,
  approxBytes: () => 0.7e9,
});
