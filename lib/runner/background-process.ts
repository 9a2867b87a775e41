// A process a step keeps running while it works (the guide's `qemu-system-… &` while dnsmasq
// restarts on macOS): argv only, no terminal, and stopped — SIGTERM, then SIGKILL after 5 s —
// by the step, or when kubenet exits.
import type { Command } from '../command.js';
import { argvToRun } from '../process/run-process.js';
import { startChild } from '../process/start-child.js';

export async function startBackground(command: Command, cwd: string): Promise<{ stop(): Promise<void> }> {
  const [file, ...args] = argvToRun(command);
  const child = await startChild(file!, args, { cwd, stdio: 'ignore', endWithKubenet: true });
  return {
    async stop() {
      await child.stop(5000);
    },
  };
}
