// A process a step keeps running while it works (the guide's `qemu-system-… &` while dnsmasq
// restarts on macOS): argv only, no terminal, and stopped — SIGTERM, then SIGKILL after 5 s —
// by the step, or when kubenet exits.
import { execa } from 'execa';
import type { Command } from '../command.js';

export async function startBackground(command: Command, cwd: string): Promise<{ stop(): Promise<void> }> {
  const argv = command.sudo ? ['sudo', command.exe, ...command.args] : [command.exe, ...command.args];
  const child = execa(argv[0]!, argv.slice(1), { cwd, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', reject: false, cleanup: true, forceKillAfterDelay: 5000 });
  return {
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
  };
}
