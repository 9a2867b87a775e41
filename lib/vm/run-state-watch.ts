// QEMU does not always exit when a VM cannot go on. A KVM internal error (a /dev/kvm that cannot
// run the firmware), a guest panic, or a disk write that failed (a full host disk) stop the VM,
// and QEMU waits with it forever. This watches the run state over QMP: the query right after
// connecting catches a VM that stopped before kubenet was listening, STOP events the later ones.
import { answerWithin, QmpClient } from './qmp-client.js';

// Run states (QMP `query-status`) from which a VM does not resume by itself. `shutdown` is a
// guest that powered off while QEMU stayed (-no-shutdown): the run is over, not failed.
export const haltStates = ['internal-error', 'guest-panicked', 'io-error', 'shutdown'] as const;
export type HaltState = (typeof haltStates)[number];

export interface Halt {
  state: HaltState;
  event?: string; // the QMP event that led to it; none when the first query found it stopped
}

export interface RunStateWatch {
  connected: Promise<boolean>; // false: no QMP (QEMU exited, or it did not answer); `detail` said why
  firstState: Promise<string | undefined>; // what the first query-status found; undefined: no answer
  halted: Promise<Halt>; // settles once, or never while the VM runs
  close(): void;
}

export interface RunStateWatchOptions {
  socket: string;
  exited: Promise<unknown>; // QEMU's exit: stop trying to connect
  connectMs?: number; // QEMU creates the socket at start; give up after this long
  answerMs?: number; // bound on each query-status
  detail?: (line: string) => void; // --verbose: when and why the watch is off
}

const isHalt = (status: string): status is HaltState => (haltStates as readonly string[]).includes(status);

export function watchRunState({
  socket,
  exited,
  connectMs = 10_000,
  answerMs = 5_000,
  detail,
}: RunStateWatchOptions): RunStateWatch {
  const giveUp = new AbortController();
  let client: QmpClient | undefined;
  let reportHalt!: (halt: Halt) => void;
  const halted = new Promise<Halt>((resolve) => (reportHalt = resolve));
  let reportFirst!: (state: string | undefined) => void;
  const firstState = new Promise<string | undefined>((resolve) => (reportFirst = resolve));
  const off = (why: string) => {
    if (!giveUp.signal.aborted)
      detail?.(`run-state watch off: ${why}; a VM that QEMU stops is only noticed at the timeout`);
  };

  const check = async (event?: string): Promise<void> => {
    const status = await answerWithin(client!.execute<{ status: string }>('query-status'), answerMs).catch(
      (error: Error) => {
        off(`query-status failed: ${error.message}`);
        return undefined;
      },
    );
    if (!event) reportFirst(status?.status);
    if (status && isHalt(status.status)) reportHalt(event ? { state: status.status, event } : { state: status.status });
  };

  void exited.then(() => giveUp.abort());
  const connected = QmpClient.connect(socket, { timeoutMs: connectMs, signal: giveUp.signal }).then(
    (qmp) => {
      if (giveUp.signal.aborted) {
        qmp.close();
        reportFirst(undefined);
        return false;
      }
      client = qmp;
      qmp.onEvent(({ event }) => {
        if (event === 'STOP' || event === 'GUEST_PANICKED') void check(event);
      });
      void check();
      return true;
    },
    (error: Error) => {
      off(error.message);
      reportFirst(undefined);
      return false;
    },
  );

  return {
    connected,
    firstState,
    halted,
    close() {
      giveUp.abort();
      client?.close();
    },
  };
}
