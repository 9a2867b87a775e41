// A network namespace of a test's own (ip netns add), so the cluster's bridge, TAPs, NAT chain and
// dnsmasq never touch the host's network. remove() ends every process still in it (dnsmasq
// daemonises; a QEMU a failed run left) and deletes it; a namespace that a killed test process
// left behind is swept by the next test run (its name holds that process's pid).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { alive } from './processes.js';

const prefix = 'kubenet-t';

export interface Netns {
  name: string;
  // argv run inside the namespace (synchronously, bounded by timeoutMs): exit code and output
  run(
    argv: string[],
    timeoutMs?: number,
    env?: NodeJS.ProcessEnv,
  ): { code: number | null; stdout: string; stderr: string };
  argv(argv: string[]): string[]; // `ip netns exec NAME …argv`, to spawn yourself
  remove(): void;
}

export const canMakeNetns = (): boolean => process.geteuid?.() === 0 && spawnSync('ip', ['-V']).status === 0;

let count = 0;

export function createNetns(): Netns {
  sweep();
  const name = `${prefix}${process.pid}-${count++}`;
  execFileSync('ip', ['netns', 'add', name]);
  const argv = (command: string[]) => ['ip', 'netns', 'exec', name, ...command];
  const run = (command: string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = process.env) => {
    const r = spawnSync(argv(command)[0]!, argv(command).slice(1), { encoding: 'utf8', timeout: timeoutMs, env });
    return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  run(['ip', 'link', 'set', 'lo', 'up']);
  return { name, run, argv, remove: () => removeNetns(name) };
}

function removeNetns(name: string): void {
  for (let round = 0; round < 3; round += 1) {
    const pids = (spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout ?? '')
      .split('\n')
      .filter(Boolean)
      .map(Number);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    spawnSync('sleep', ['0.2']);
  }
  spawnSync('ip', ['netns', 'del', name]);
}

// Namespaces of test processes that are gone.
function sweep(): void {
  let names: string[];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${prefix}(\\d+)-\\d+$`).exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) removeNetns(name);
  }
}
