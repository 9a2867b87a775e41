// The chapter's QEMU commands (steps 2–8, 10, 11) as VM descriptions. Each step is the one
// before it plus what the guide adds, so buildCommand reproduces the guide token for token.
import { ExitCode, KubenetError } from '../errors.js';
import type { VmSpec } from '../qemu/vm-spec.js';
import { stepFiles } from './guide-files.js';
import * as choose from './profile-choices.js';
import type { StepInput } from './step-input.js';

export type { StepInput } from './step-input.js';

export type VmStep = 2 | 3 | 4 | 5 | 6 | 7 | 8 | 10 | 11;
export const vmSteps: readonly VmStep[] = [2, 3, 4, 5, 6, 7, 8, 10, 11];

export function guideStep(step: VmStep, input: StepInput): VmSpec {
  const files = stepFiles(input);
  const resources = { smp: 2, memory: '2G', ...input.resources };
  switch (step) {
    case 2:
      return { exe: choose.emulator(input), machine: choose.machine(input, false), cpu: choose.cpu(input) };
    case 3:
      return { ...guideStep(2, input), nodefaults: true, consoles: choose.liveConsoles(input) };
    case 4:
      return { ...guideStep(3, input), firmware: choose.firmware(input) };
    case 5:
      return {
        ...guideStep(4, input),
        machine: choose.machine(input, true),
        smp: resources.smp,
        memory: resources.memory,
        cdrom: files.liveIso,
      };
    case 6:
      return withSudo({ ...guideStep(5, input), nics: [choose.nic(input)] }, input);
    case 7:
      return { ...guideStep(6, input), peripherals: choose.graphicsAndPeripherals(input) };
    case 8:
      return { ...guideStep(7, input), hda: files.disk };
    case 10:
      return withSudo(
        {
          exe: choose.emulator(input),
          nographic: true, // -nodefaults is dropped: serial and monitor share this terminal
          machine: choose.machine(input, true),
          cpu: choose.cpu(input),
          smp: resources.smp,
          memory: resources.memory,
          firmware: choose.firmware(input),
          nics: [choose.nic(input)],
          hda: files.overlay,
        },
        input,
      );
    case 11:
      return { ...guideStep(10, input), drives: [{ file: files.seed, driver: 'raw', if: 'virtio' }] };
    default:
      throw new KubenetError(`guide step ${String(step)} runs no VM`, {
        code: ExitCode.usage,
        hint: `QEMU runs in steps ${vmSteps.join(', ')}; steps 1 and 9 run other commands (see guideHostCommands).`,
      });
  }
}

function withSudo(spec: VmSpec, input: StepInput): VmSpec {
  const sudo = choose.sudoFor(input);
  return sudo ? { ...spec, sudo } : spec;
}
