// The errors a VM run ends with. Each carries what the user needs to see without opening a
// file: QEMU's last words, the last serial lines, and, when the firmware is stuck, why.
import { ExitCode, KubenetError } from '../errors.js';
import { explainQemuFailure } from './explain-qemu-failure.js';
import { firmwareStuckHint } from './firmware-stuck.js';

export interface RunEvidence {
  vm: string;
  exe: string;
  cwd: string;
  until: RegExp | undefined;
  ready?: string; // what a readiness probe waited for, e.g. "sshd to accept kubenet ssh -- true"
  serialLog: string;
  serialTail: string[];
  qemuOutput: string;
}

const indent = (lines: string[]) => lines.map((line) => `  ${line}`).join('\n');

function evidence(e: RunEvidence, explanation?: string): string {
  const parts: string[] = [];
  if (explanation) parts.push(explanation);
  const said = e.qemuOutput.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '').slice(-20);
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

export function exitedEarly(e: RunEvidence, exitCode: number | null, signal: string | undefined): KubenetError {
  const known = explainQemuFailure(e.qemuOutput, { vm: e.vm, exe: e.exe, cwd: e.cwd });
  if (known) {
    return new KubenetError(known.message, { code: known.code, details: evidence(e, known.details), hint: known.hint });
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
  const before = e.until ? ` before its serial console matched ${e.until}` : e.ready ? ` while waiting for ${e.ready}` : '';
  return new KubenetError(`${e.vm}: ${e.exe} ${how}${before}`, {
    code: ExitCode.vm,
    details: evidence(e),
    hint: firmwareStuckHint(e.serialTail, e.until) ?? readLog(e),
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
