// This host's side of `explain`: the facts 00-qemu recorded (or detected now, as --dry-run
// does before 00-qemu has run), turned into the same step input a real run would use.
import { relative } from 'node:path';
import type { Options } from '../cli/options.js';
import { isKubenetError } from '../errors.js';
import type { GuideVm } from '../guide/step-list.js';
import type { StepInput } from '../guide/step-input.js';
import { readRecordedFacts } from '../host/recorded-facts.js';
import type { Profile, QemuFacts } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { HostView } from './render-step.js';

export async function loadFacts(paths: Paths, profile: Profile, opts: Pick<Options, 'accel' | 'firmware'>): Promise<QemuFacts> {
  const recorded = readRecordedFacts(paths.facts, profile.guestArch);
  if (recorded && !opts.accel && !opts.firmware) return recorded;
  // not recorded yet (or overridden): detect, as --dry-run does
  const { detectFacts } = await import('../host/detect.js');
  return detectFacts({ profile, accel: opts.accel, firmware: opts.firmware });
}

export function hostStepInput(facts: QemuFacts, opts: Options, paths: Paths, vm: GuideVm = 'machine'): StepInput {
  const firmwareVars = facts.firmware.mode === 'pflash' && facts.firmware.vars ? relative(paths.root, paths.vmFile(vm, 'efivars.fd')) : undefined;
  return {
    profile: facts.profile,
    facts,
    resources: { smp: opts.smp, memory: opts.memory, diskSize: opts.diskSize },
    ...(opts.net ? { net: opts.net } : {}),
    ...(firmwareVars ? { files: { firmwareVars } } : {}),
  };
}

export async function hostView(paths: Paths, profile: Profile, opts: Options, vm?: GuideVm): Promise<HostView> {
  try {
    const facts = await loadFacts(paths, profile, opts);
    return { facts, input: hostStepInput(facts, opts, paths, vm) };
  } catch (error) {
    if (!isKubenetError(error)) throw error;
    return { error: error.hint ? `${error.message}: ${error.hint}` : error.message };
  }
}
