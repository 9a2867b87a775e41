// The commands one guide step runs, for a given host: QEMU (steps 2–8, 10, 11) and the
// commands around it (qemu-img in 8 and 9, the guide's mkisofs line in 11).
import { guideHostCommands, type HostCommand } from '../guide/host-commands.js';
import type { StepInput } from '../guide/step-input.js';
import { guideStep, vmSteps, type VmStep } from '../guide/steps.js';
import { buildCommand, type QemuCommand } from '../qemu/build-command.js';

export interface StepCommands {
  before: HostCommand[];
  qemu?: QemuCommand;
}

export const isVmStep = (step: number): step is VmStep => (vmSteps as readonly number[]).includes(step);

export function stepCommands(step: number, input: StepInput): StepCommands {
  return { before: guideHostCommands(step, input), ...(isVmStep(step) ? { qemu: buildCommand(guideStep(step, input)) } : {}) };
}
