// QEMU_VERSION as the guide computes it: the first line of `--version` without its prefix.
//   QEMU emulator version 8.2.0
//   QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)
//   qemu-img version 7.2.22 (Debian …)
import { ExitCode, KubenetError } from '../errors.js';

export interface QemuVersion {
  version: string; // what the guide's sed leaves: "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)"
  semver: [number, number, number];
}

const linePattern = /^(?:QEMU emulator|qemu-img) version (\d+)\.(\d+)(?:\.(\d+))?(.*)$/;

export function parseQemuVersion(output: string): QemuVersion {
  const first = output.split(/\r?\n/, 1)[0]!.trim();
  const m = linePattern.exec(first);
  if (!m) {
    throw new KubenetError(`cannot read a QEMU version from "${first}"`, {
      code: ExitCode.host,
      hint: 'check that qemu-system-* on your PATH is QEMU (try: qemu-system-aarch64 --version)',
    });
  }
  const version = first.replace(/^(?:QEMU emulator|qemu-img) version /, '');
  return { version, semver: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] };
}

export const atLeast = (v: readonly number[], min: readonly number[]): boolean => {
  for (let i = 0; i < 3; i++) {
    if ((v[i] ?? 0) !== (min[i] ?? 0)) return (v[i] ?? 0) > (min[i] ?? 0);
  }
  return true;
};
