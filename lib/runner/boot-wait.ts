// What a boot waits for, read from --until: a line on the serial console (a regular expression),
// or a readiness (vm/readiness.ts: a function that resolves when the VM is up). This is the one
// place a new kind is added — `--until ssh` is one more branch returning { ready: … }. Nothing
// given: a foreground run waits for QEMU to exit, a detached one for a first sign of life.
import { ExitCode, KubenetError } from '../errors.js';
import type { Readiness } from '../vm/readiness.js';

export interface BootWait {
  until?: RegExp;
  ready?: Readiness;
}

export function bootWait(until: string | undefined): BootWait {
  if (until === undefined) return {};
  try {
    return { until: new RegExp(until) };
  } catch (cause) {
    throw new KubenetError(`--until ${until} is not a regular expression`, { code: ExitCode.usage, cause, hint: 'e.g. --until "login:"' });
  }
}
