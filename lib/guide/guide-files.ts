// The guide's own file names, relative to images/, for each guest architecture.
import type { GuestArch } from '../host/types.js';
import type { GuideFiles, StepInput } from './step-input.js';

const ubuntuArch: Record<GuestArch, string> = { aarch64: 'arm64', x86_64: 'amd64' };

export function guideFileNames(arch: GuestArch): Required<Omit<GuideFiles, 'firmwareVars'>> {
  return {
    liveIso: `jammy-desktop-${ubuntuArch[arch]}.iso`,
    disk: 'ubuntu.img',
    cloudImage: `jammy-server-cloudimg-${ubuntuArch[arch]}.img`,
    overlay: 'ubuntu0.img',
    seed: 'cidata.iso',
    userData: 'cloud-init/user-data',
    metaData: 'cloud-init/meta-data',
  };
}

// The guide's names with the caller's overrides on top (an override left undefined keeps the name).
export function stepFiles(input: StepInput): ReturnType<typeof guideFileNames> & { firmwareVars?: string } {
  const given = Object.entries(input.files ?? {}).filter(([, value]) => value !== undefined);
  return { ...guideFileNames(input.profile.guestArch), ...Object.fromEntries(given) };
}
