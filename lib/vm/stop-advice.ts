// How to stop a VM that is running, in the words that fit how it runs: a console in another
// terminal is left with Ctrl-A X, a window is closed, a headless run is stopped with Ctrl-C where
// kubenet runs it — and `kubenet stop` works for each, and is the only way for a detached VM.
import { processAlive } from '../process/pid-state.js';
import type { RunRecord } from './run-record.js';

export function stopAdvice(vm: string, record: RunRecord | undefined): string {
  const stop = `kubenet stop ${vm}`;
  // Detached, without a run record, or its kubenet is gone: nothing else minds it.
  if (!record || record.detached || !processAlive(record.kubenet)) return stop;
  switch (record.console) {
    case 'terminal':
      return `Ctrl-A X in the terminal that shows its console, or ${stop}`;
    case 'window':
      return `close QEMU's window, or ${stop}`;
    case 'headless':
      return `Ctrl-C where kubenet runs it (pid ${record.kubenet}), or ${stop}`;
  }
}

// How a VM runs, for kubenet status: detached, or which kubenet shows its console where.
export function howItRuns(record: RunRecord | undefined): string {
  // No record: its kubenet was killed between writing the pid file and the record, or the record
  // is not one kubenet wrote. Which kubenet runs it, and how, is not known.
  if (!record) return 'how it runs is not recorded';
  if (record.detached) return 'detached';
  const where = { terminal: 'its console in a terminal', window: "QEMU's window", headless: 'headless' }[
    record.console
  ];
  return processAlive(record.kubenet)
    ? `run by kubenet pid ${record.kubenet} (${where})`
    : `its kubenet (pid ${record.kubenet}) is gone`;
}
