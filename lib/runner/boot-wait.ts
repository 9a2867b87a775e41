// What a boot waits for, read from --until: a line on the serial console (a regular expression),
// or a readiness (vm/readiness.ts: a function that resolves when the VM is up) — `ssh`: until
// `kubenet ssh -- true` works, for a VM whose step wrote it a seed with kubenet's key. Nothing
// given: a foreground run waits for QEMU to exit, a detached one for a first sign of life.
import { ExitCode, KubenetError } from '../errors.js';
import { vmFileName, type Paths } from '../paths.js';
import type { Readiness } from '../vm/readiness.js';
import type { ConsoleWait } from '../kinds/words.js';
import { sshReadyProbe } from '../ssh/ssh-ready.js';
import { probeReadiness } from '../vm/ready-probe.js';

export interface BootWait {
  until?: RegExp;
  ready?: Readiness;
}

export interface WaitContext {
  paths: Paths;
  vm: string;
  task: string;
  step: string;
  seeded?: { hostname: string };
  // The step's own readiness (a cluster VM: its sshd takes kubenet's key, its host keys recorded):
  // what --until ssh waits for, where the step has one.
  stepReady?: () => Promise<string>;
}

export async function bootWait(until: ConsoleWait | undefined, at: WaitContext): Promise<BootWait> {
  if (until === undefined) return {};
  if (until === 'ssh' && at.stepReady)
    return { ready: { what: `${at.vm}'s sshd to take a login`, wait: at.stepReady } };
  if (until === 'ssh') return { ready: await sshReadiness(at) };
  return { until };
}

// --until ssh: only a VM whose seed holds kubenet's key runs an sshd kubenet can log in to.
async function sshReadiness({ paths, vm, task, step, seeded }: WaitContext): Promise<Readiness> {
  if (!seeded) {
    throw new KubenetError(
      `--until ssh: ${vm} (${task}, step ${step}) runs no sshd kubenet can log in to: this step writes it no seed`,
      {
        code: ExitCode.usage,
        hint:
          'use it with a step that seeds its VM (kubenet run cloud-init: the ' +
          'cloud-init seed holds the key), or wait for the console with --until REGEX',
      },
    );
  }
  return probeReadiness(sshReadyProbe({ paths, vm, hostname: seeded.hostname }));
}

// A step's readiness, or a KubenetError after `ms` (the run's --timeout).
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    const log = `images/${vmFileName('<vm>', 'serial.log')}`;
    const hint = `look at its serial console (${log}); --timeout SECONDS waits longer`;
    timer = setTimeout(() => reject(new KubenetError(`${what} after ${ms / 1000} s`, { code: ExitCode.vm, hint })), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
