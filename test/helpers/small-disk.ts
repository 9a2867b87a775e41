// A full disk without root's help: a small tmpfs mounted in a mount namespace of the command's own
// (unshare --user --map-root-user --mount), gone with the process. Where user namespaces are
// off (some containers, hardened kernels) it cannot be had, and the tests that need it say so.
import { spawnSync } from 'node:child_process';
import { tempDir } from './tmp.js';

export const canMountTmpfs = (() => {
  const probe = tempDir('kubenet-tmpfs-probe-');
  try {
    return (
      spawnSync('unshare', [
        '--user',
        '--map-root-user',
        '--mount',
        '--',
        'sh',
        '-c',
        'mount -t tmpfs tmpfs "$1"',
        'sh',
        probe.path,
      ]).status === 0
    );
  } finally {
    probe.remove();
  }
})();
