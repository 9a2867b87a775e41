// Whether a process lives, and in what state, from its pid alone — the facts locks, temp files
// and VMs judge their owners by — and signalling one by its pid. Pid files and lock files outlive
// their processes; this is the one test every place that reads one uses. Below fs/ and lock/: it
// reads only /proc and sends signals.
import { readFileSync } from 'node:fs';

// From /proc/PID/stat: the start time (field 22, clock ticks since boot), whether the process is
// a zombie (dead, not yet reaped), and whether it is stopped (Ctrl-Z, SIGSTOP, or a debugger: it
// runs again only when someone resumes it). Undefined where there is no /proc (macOS) or no such
// process.
export function processState(pid: number): { start: string; zombie: boolean; stopped: boolean } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { start: fields[19]!, zombie: fields[0] === 'Z', stopped: fields[0] === 'T' || fields[0] === 't' };
  } catch {
    return undefined;
  }
}

// Whether a pid names a live process here (EPERM: alive, another user's — a QEMU under sudo). A
// zombie is judged by processState(). The one such test: locks, temp files and VMs use it.
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Sends `signal`; false when the process is gone, or not ours to signal (a QEMU under sudo).
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(pid, signal);
  } catch {
    return false;
  }
}
