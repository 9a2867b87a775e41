// The real test guest: Debian bookworm with Debian's cloud-init, systemd and OpenSSH, booting
// from a qcow2 disk like Ubuntu's cloud image (scripts/build-real-guest.sh). For the tests that
// need the truth about kubenet's seed and `kubenet ssh`; the tiny guests stay for fast tests.
// Building it takes about two minutes and needs root (.ci/run builds it before the tests);
// later calls find it cached in well under a second.
import { required, runGuestScript } from './guest-script.js';

export interface RealGuest {
  cloudImage: string; // qcow2: serve it as jammy-server-cloudimg-amd64.img
  packages: string; // "name version" per line: what is in it
  dir: string;
}

let build: Promise<RealGuest> | undefined;

// One build per process; concurrent processes are serialised by the script's lock.
export function realGuest(): Promise<RealGuest> {
  build ??= runGuestScript('build-real-guest.sh', ['x86_64'], 'the real x86_64 test guest').then((values) => {
    const [dir, cloudImage, packages] = required(values, ['dir', 'cloud_image', 'packages'], 'build-real-guest.sh') as [
      string,
      string,
      string,
    ];
    return { dir, cloudImage, packages };
  });
  build.catch(() => (build = undefined)); // a later call may try again
  return build;
}
