// A QEMU that is not this process's child — a detached VM, or one another kubenet runs — in the
// shape stopQemu takes. Only a parent can wait for a process, so its end is noticed by looking
// every `pollMs`: gone, a zombie, or a pid now used by another program all count as exited.
import { setTimeout as sleep } from 'node:timers/promises';
import { signalPid } from '../process/pid-state.js';
import { isQemuOf } from './process-probe.js';
import type { QemuExit } from './spawn-qemu.js';
import type { Stoppable } from './stop-qemu.js';

// `signal` ends the polling (the caller gave up on it): the process may then still be there.
export function qemuByPid(pid: number, marks: string[], signal: AbortSignal, pollMs = 100): Stoppable {
  let gone = false;
  const exited = (async (): Promise<QemuExit> => {
    while (await isQemuOf(pid, marks)) {
      if (signal.aborted) return new Promise<QemuExit>(() => undefined); // given up: never seen to exit
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
    gone = true;
    return { exitCode: null, signal: undefined }; // its exit status went to its parent
  })();
  return {
    exited,
    hasExited: () => gone,
    kill(how) {
      if (!gone) signalPid(pid, how); // not sent: gone, or not ours (under sudo): the caller's bound says so
    },
  };
}
