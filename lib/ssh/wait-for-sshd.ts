// `kubenet ssh` before the guest is ready: instead of ssh's silence (QEMU's port forward holds
// the connection) and then its raw "kex_exchange_identification" text, say what is going on
// and wait, up to a bound, for the guest's sshd to answer.
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, KubenetError } from '../errors.js';
import { sshdBanner } from './sshd-banner.js';
import type { SshTarget } from './ssh-target.js';

export interface WaitForSshdInput {
  vm: string;
  target: SshTarget;
  waitMs: number; // the bound (--wait); 0 checks once
  serialLog: string; // where the user can watch the boot
  running: () => Promise<boolean>; // is the VM still there?
  say: (line: string) => void; // the one "waiting for sshd" line
  pollMs?: number; // between attempts
  attemptMs?: number; // how long one attempt waits for the banner (sshd re-executes itself for
  // each connection: seconds under emulation); the bound is waitMs plus one attempt
}

export async function waitForSshd({
  vm,
  target,
  waitMs,
  serialLog,
  running,
  say,
  pollMs = 1000,
  attemptMs = 10_000,
}: WaitForSshdInput): Promise<void> {
  const { host, port } = target;
  const started = performance.now();
  const left = () => waitMs - (performance.now() - started);
  let waiting = false;
  for (;;) {
    if (await sshdBanner(host, port, attemptMs)) {
      if (waiting) say(`sshd on ${host}:${port} answered after ${((performance.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    if (!(await running())) {
      throw new KubenetError(`${vm} stopped before its sshd answered`, {
        code: ExitCode.vm,
        hint: `see the serial log, ${serialLog}, and start it again: kubenet run 03-cloud-image`,
      });
    }
    if (left() <= 0) {
      throw new KubenetError(`no sshd answered on ${host}:${port} within ${Math.round(waitMs / 1000)} s`, {
        code: ExitCode.vm,
        hint:
          `${vm} may still be booting (cloud-init runs on the first boot of an instance; emulation ` +
          `without kvm/hvf is slow): see ${serialLog}, or wait longer with --wait SECONDS`,
      });
    }
    if (!waiting) say(`waiting for sshd on ${host}:${port} — cloud-init is still running, see ${serialLog}`);
    waiting = true;
    await sleep(Math.min(pollMs, Math.max(0, left())));
  }
}
