// The errors a VM run ends with. Each carries what the user needs to see without opening a
// file: QEMU's last words, the last serial lines, and, when the firmware is stuck, why.
import { ExitCode, KubenetError } from '../errors.js';
import { explainQemuFailure } from './explain-qemu-failure.js';
import { firmwareStuckHint } from './firmware-stuck.js';
import type { Halt, HaltState } from './run-state-watch.js';

export interface RunEvidence {
  vm: string;
  exe: string;
  cwd: string;
  until: RegExp | undefined;
  ready?: string; // what a readiness waited for (readiness.ts), e.g. "QEMU to run and its serial console to …"
  serialLog: string;
  serialTail: string[];
  qemuOutput: string;
}

const indent = (lines: string[]) => lines.map((line) => `  ${line}`).join('\n');

// QEMU's first lines say what went wrong (a KVM error comes before its register dump), its last
// ones how it ended: a long output keeps both ends.
function qemuExcerpt(output: string): string[] {
  const lines = output
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
  if (lines.length <= 20) return lines;
  return [...lines.slice(0, 10), `… (${lines.length - 20} more lines) …`, ...lines.slice(-10)];
}

function evidence(e: RunEvidence, explanation?: string): string {
  const parts: string[] = [];
  if (explanation) parts.push(explanation);
  const said = qemuExcerpt(e.qemuOutput);
  if (said.length > 0) parts.push(`QEMU said:\n${indent(said)}`);
  parts.push(
    e.serialTail.length > 0
      ? `Last serial lines (${e.serialLog}):\n${indent(e.serialTail)}`
      : `The serial console printed nothing (${e.serialLog}).`,
  );
  return parts.join('\n\n');
}

const readLog = (e: RunEvidence) => `read the serial log (${e.serialLog}) and QEMU's messages above`;

export function timedOut(e: RunEvidence, timeoutMs: number): KubenetError {
  const what = e.until ? `its serial console to match ${e.until}` : (e.ready ?? 'QEMU to exit');
  return new KubenetError(`${e.vm}: gave up after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`, {
    code: ExitCode.vm,
    details: evidence(e),
    hint:
      firmwareStuckHint(e.serialTail, e.until) ??
      `${readLog(e)}; if the guest is only slow (emulation without kvm/hvf is many times slower), raise the timeout`,
  });
}

// A message of QEMU's that explain-qemu-failure.ts knows, with the evidence under it.
function explained(e: RunEvidence): KubenetError | undefined {
  const known = explainQemuFailure(e.qemuOutput, { vm: e.vm, exe: e.exe, cwd: e.cwd });
  return (
    known &&
    new KubenetError(known.message, { code: known.code, details: evidence(e, known.details), hint: known.hint })
  );
}

export function exitedEarly(e: RunEvidence, exitCode: number | null, signal: string | undefined): KubenetError {
  const known = explained(e);
  if (known) return known;
  const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
  const before = e.until
    ? ` before its serial console matched ${e.until}`
    : e.ready
      ? ` while waiting for ${e.ready}`
      : '';
  return new KubenetError(`${e.vm}: ${e.exe} ${how}${before}`, {
    code: ExitCode.vm,
    details: evidence(e),
    hint: firmwareStuckHint(e.serialTail, e.until) ?? readLog(e),
  });
}

const haltWords: Record<HaltState, { what: string; hint?: string }> = {
  'internal-error': {
    what: 'the accelerator could not go on (run state internal-error)',
    hint: 'run with --accel tcg (emulation: slower, but it does not depend on kvm or hvf)',
  },
  'guest-panicked': { what: 'the guest kernel panicked (run state guest-panicked)' },
  'io-error': {
    what: 'a disk write failed (run state io-error), usually because the host disk is full',
    hint: 'free space on the disk that holds images/ (df -h), then run again',
  },
  shutdown: { what: 'the guest powered off and QEMU stayed (run state shutdown)' },
};

// QEMU stopped the VM and would have waited forever; kubenet noticed and stopped QEMU.
export function halted(e: RunEvidence, halt: Halt): KubenetError {
  const known = halt.state === 'internal-error' ? explained(e) : undefined;
  if (known) return known;
  const { what, hint } = haltWords[halt.state];
  return new KubenetError(`${e.vm}: QEMU stopped the VM: ${what}`, {
    code: ExitCode.vm,
    details: evidence(e),
    hint: hint ?? readLog(e),
  });
}

export function interrupted(e: RunEvidence, reason: string, stopped: string): KubenetError {
  const how: Record<string, string> = {
    'already-exited': 'QEMU had already exited',
    'powered-off': 'the guest powered off',
    quit: 'QEMU quit cleanly, disks flushed',
    terminated: 'QEMU terminated cleanly, disks flushed',
    killed: 'QEMU had to be killed',
  };
  return new KubenetError(`interrupted (${reason}): ${e.vm} was stopped; ${how[stopped] ?? stopped}`, {
    code: ExitCode.interrupted,
    details: evidence(e),
    hint: `run the same task again to start ${e.vm} anew`,
  });
}
