// The two hosts `explain` compares: the guide's own (its main text on macOS for arm64 guests, its
// Linux edition for amd64) and this one, each with the facts that pick its commands.
import type { Edition, FirmwareChoice, GuestArch, HostOs, NetMode, QemuFacts } from '../host/types.js';
import { editionOf } from '../task/editions.js';
import { guideFirmware } from '../task/host-vars.js';
import type { Step } from '../task/types.js';

export interface Side {
  hostOs: HostOs;
  hostArch: string;
  arch: GuestArch;
  facts: Pick<QemuFacts, 'accel' | 'firmware'>;
  net?: NetMode; // a --net the user gave
  version?: string; // QEMU_VERSION, when known
  qemu?: string; // the binary's path, when known
  renamed?: { guide: string; here: string; why: string }[]; // downloads named otherwise than the guide's, and why
}

export function guideSide(arch: GuestArch): Side {
  const mac = arch === 'aarch64';
  const firmware: FirmwareChoice = {
    mode: 'bios',
    code: guideFirmware[arch],
    source: mac ? 'homebrew' : 'distro',
    why: 'the path the guide writes',
  };
  return {
    hostOs: mac ? 'darwin' : 'linux',
    hostArch: mac ? 'aarch64' : 'x86_64',
    arch,
    facts: {
      firmware,
      accel: mac ? { accel: 'hvf', why: "the guide's accel=hvf" } : { accel: 'kvm', why: "the guide's accel=kvm" },
    },
  };
}

// The guide's host for a step: the edition of this guest architecture, unless the step is in
// the other edition only (a Linux profile's step 7 is the macOS edition's).
export function guideSideFor(step: Pick<Step, 'onlyIn'>, arch: GuestArch): Side {
  const side = guideSide(arch);
  const only = step.onlyIn?.edition;
  return only === undefined || editionOf(side.hostOs) === only ? side : guideSide(editionArch[only]);
}

const editionArch: Record<Edition, GuestArch> = { macos: 'aarch64', linux: 'x86_64' };

export function hostSide(facts: QemuFacts, net?: NetMode): Side {
  return {
    hostOs: facts.profile.hostOs,
    hostArch: facts.profile.hostArch,
    arch: facts.profile.guestArch,
    facts,
    ...(net ? { net } : {}),
    version: facts.version,
    qemu: facts.qemu,
  };
}

export const sideName = (side: Side): string => `${side.hostOs}-${side.hostArch}`;
