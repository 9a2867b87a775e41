// The chapter's commands that are not QEMU itself: the disk of step 8, the overlay of step 9
// and the seed ISO of step 11. kubenet writes the seed itself (lib/iso); the mkisofs line is
// kept so --dry-run can show what the guide runs.
import type { Command } from '../command.js';
import { stepFiles } from './guide-files.js';
import type { StepInput } from './step-input.js';

export interface HostCommand extends Command {
  sudo: false;
  displayOnly?: boolean; // printed for the user, never run by kubenet
}

// Steps 8, 9 and 11 as argv; other steps have none.
export function guideHostCommands(step: number, input: StepInput): HostCommand[] {
  const files = stepFiles(input);
  const size = input.resources?.diskSize ?? '128G';
  switch (step) {
    case 8:
      return [{ exe: 'qemu-img', args: ['create', '-f', 'qcow2', files.disk, size], sudo: false }];
    case 9:
      return [{ exe: 'qemu-img', args: ['create', '-F', 'qcow2', '-b', files.cloudImage, '-f', 'qcow2', files.overlay, size], sudo: false }];
    case 11:
      // The guide writes cloud-init/{user-data,meta-data}; this is the argv that brace expands to.
      return [
        {
          exe: 'mkisofs',
          args: ['-output', files.seed, '-volid', 'cidata', '-joliet', '-rock', files.userData, files.metaData],
          sudo: false,
          displayOnly: true,
        },
      ];
    default:
      return [];
  }
}
