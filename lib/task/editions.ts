// The guide's two editions are two texts, not one text with two sets of values: the Linux edition
// has no QEMU_VERSION step and no "Graphics and peripherals", and the macOS edition has no bridge,
// TAP script, forwarding or NAT (vmnet does all that). A host follows the edition of its OS —
// macOS the macOS edition, any other the Linux edition — and a step that is in one edition only
// says so wherever it is shown (list, guide, explain, a run).
import type { Edition, HostOs } from '../host/types.js';

export const editionOf = (hostOs: HostOs): Edition => (hostOs === 'darwin' ? 'macos' : 'linux');

export const editionName = (edition: Edition): string =>
  edition === 'macos' ? 'the macOS edition' : 'the Linux edition';

// A step's place in the editions, as a task file declares it.
export interface OnlyIn {
  edition: Edition; // the one edition this step is in
  otherwise: string; // what the other edition does instead, as a clause: "the Linux edition …"
  // What kubenet does with the step on a host that follows the other edition, as a clause;
  // by default it runs this edition's step there.
  elsewhere?: string;
}

// The short label list and guide show: "macOS edition only".
export const onlyInLabel = (only: OnlyIn): string => `${only.edition === 'macos' ? 'macOS' : 'Linux'} edition only`;

// What explain and a run say of a step in one edition only: always what the other edition does;
// on a host that follows the other edition, also that this is the step of the one it is in.
export function onlyInNote(
  step: { step?: number; title: string; onlyIn?: OnlyIn },
  hostOs: HostOs,
): string | undefined {
  const only = step.onlyIn;
  if (!only) return undefined;
  const name = step.step === undefined ? step.title : `Step ${step.step} (${step.title})`;
  const follows = editionOf(hostOs);
  const elsewhere = only.elsewhere ?? `kubenet runs ${editionName(only.edition)}'s step here`;
  const here = follows === only.edition ? '' : `; this host follows ${editionName(follows)}: ${elsewhere}`;
  return `${name} is in ${editionName(only.edition)} only: ${only.otherwise}${here}`;
}
