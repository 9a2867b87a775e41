// Who holds a port on this machine: Linux lists every socket in /proc/net/{tcp,udp}[6] with the
// inode of its file, and each process's descriptors point at those inodes. So a refusal can name
// the process ("dnsmasq, pid 812"), not just the number. Another user's processes cannot be
// looked into: then the port is known to be taken, by someone this user cannot see.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface PortHolder {
  pid?: number; // unknown: a process of another user (or no /proc)
  command?: string; // its name (comm)
  args?: string[]; // its argv
}

// The inode of a socket bound to `port` (TCP: listening; UDP: bound), or undefined.
function socketInode(proto: 'tcp' | 'udp', port: number): string | undefined {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of [`/proc/net/${proto}`, `/proc/net/${proto}6`]) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = f[1]!;
      const state = f[3]!;
      // TCP 0A is LISTEN; a UDP socket bound to the port is 07 (closed, i.e. not connected).
      if (local.endsWith(`:${hex}`) && (proto === 'udp' || state === '0A')) return f[9];
    }
  }
  return undefined;
}

// The process holding `port`, as far as this user can see; undefined when nothing binds it.
export function portHolder(proto: 'tcp' | 'udp', port: number): PortHolder | undefined {
  const inode = socketInode(proto, port);
  if (inode === undefined) return undefined;
  const target = `socket:[${inode}]`;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return {};
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== target) continue;
      } catch {
        continue;
      }
      const read = (file: string) => {
        try {
          return readFileSync(`/proc/${pid}/${file}`, 'utf8');
        } catch {
          return undefined;
        }
      };
      const args = read('cmdline')?.split('\0').filter(Boolean);
      const command = read('comm')?.trim();
      return { pid: Number(pid), ...(command ? { command } : {}), ...(args?.length ? { args } : {}) };
    }
  }
  return {};
}

// "dnsmasq (pid 812)", or "a process of another user" when it cannot be seen.
export function describeHolder(holder: PortHolder | undefined): string {
  if (!holder) return 'nothing visible now';
  if (holder.pid === undefined) return "a process this user cannot see (another user's, or root's)";
  return `${holder.command ?? 'a process'} (pid ${holder.pid})`;
}
