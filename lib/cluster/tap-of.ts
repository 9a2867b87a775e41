// The TAP interface a running QEMU holds: Linux shows, for each descriptor a process has on
// /dev/net/tun, the interface it is bound to (`iff:` in /proc/PID/fdinfo/FD). So a network run
// finds the TAPs of running VMs, e.g. to put them back on a bridge made anew under them.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// The TAP's name, or undefined: no such process, none held, or not ours to look into.
export function tapOf(pid: number): string | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== '/dev/net/tun') continue;
      const iff = /^iff:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
      if (iff) return iff;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

// The bridge a link is on, from `ip -j link show dev NAME` (undefined: none, or no such link).
export function masterOf(output: { exitCode: number; stdout: string }): string | undefined {
  if (output.exitCode !== 0) return undefined;
  try {
    return (JSON.parse(output.stdout) as { master?: string }[])[0]?.master;
  } catch {
    return undefined;
  }
}
