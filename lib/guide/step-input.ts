// What a guide step needs to become a concrete VM: the host profile and facts 00-qemu found,
// and the few values a user may change. File names default to the guide's relative names,
// because QEMU runs with images/ as its working directory.
import type { NetMode, Profile, QemuFacts } from '../host/types.js';

export interface StepInput {
  profile: Profile;
  facts: Pick<QemuFacts, 'firmware' | 'accel'>;
  resources?: { smp?: number; memory?: string; diskSize?: string }; // 2, 2G, 128G
  net?: NetMode; // default: vmnet-shared on macOS, user elsewhere
  sshPort?: number; // user networking: forward 127.0.0.1:PORT to the guest's port 22
  bridgeInterface?: string; // vmnet-bridged: the host interface, e.g. en0
  files?: GuideFiles;
}

export interface GuideFiles {
  liveIso?: string;
  disk?: string; // ubuntu.img
  cloudImage?: string;
  overlay?: string; // ubuntu0.img
  seed?: string; // cidata.iso
  userData?: string;
  metaData?: string;
  firmwareVars?: string; // pflash only: this VM's writable copy of the firmware's variables
}
