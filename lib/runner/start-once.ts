// Starting a VM that runs already is nothing to do, as `limactl start` says — said before any
// command is printed — unless this run would start it otherwise (another seed, another command):
// then what differs is said, with how to apply it; a VM is never restarted behind the user's
// back. A foreground --until would shut down a VM it did not start: refused. run.json keeps what
// a start was (the guide's command, the seed's instance-id) for the next one to compare with.
import type { Command } from '../command.js';
import type { Paths } from '../paths.js';
import type { Step, TaskContext } from '../task/types.js';
import { currentInstanceId, runningVm, startDifferences } from '../vm/already-up.js';
import { howItRuns } from '../vm/stop-advice.js';
import type { BootOptions } from './boot-step.js';
import type { RunEnv } from './run-effects.js';

// What run.json keeps of a start, for a second start to compare with: the guide's command and the
// seed's instance-id.
export function startRecord(paths: Paths, vm: string, guide: Command): { guide: string[]; instanceId?: string } {
  const instanceId = currentInstanceId(paths, vm);
  return { guide: [guide.exe, ...guide.args], ...(instanceId === undefined ? {} : { instanceId }) };
}

// Starting a VM that runs: nothing to do, as `limactl start` says — or, when this run would start
// it with another seed or command, what differs and how to apply it. A foreground --until would
// shut down a VM it did not start: refused (exit 30). True when the VM runs (said so).
export async function upAlready(env: RunEnv, task: string, vm: string, guide: Command, boot: BootOptions): Promise<boolean> {
  const up = await runningVm(env.paths, vm);
  if (!up) return false;
  if (boot.until !== undefined && !boot.detach) {
    const { alreadyRunning } = await import('../vm/vm-lock.js');
    throw alreadyRunning(vm, up.pid, up.record);
  }
  const say = (line: string) => env.reporter.note(task, line);
  const changes = startDifferences(up.record, [guide.exe, ...guide.args], currentInstanceId(env.paths, vm));
  if (changes.length === 0) say(`${vm} is up already (pid ${up.pid}, ${howItRuns(up.record)}): nothing to start`);
  else {
    say(`warning: ${vm} runs already (pid ${up.pid}) and was left as it is, though ${changes.join('; ')}`);
    say(`to apply it: kubenet stop ${vm}, then run this again`);
  }
  const { recordedSshPort } = await import('../ssh/ssh-port.js');
  for (const line of reachLines(vm, env.paths.vmFile(vm, 'serial.log'), recordedSshPort(env.paths, vm))) say(line);
  return true;
}

// How to reach a VM that runs: its console, ssh, status and stop.
export function reachLines(vm: string, serialLog: string, sshPort: number | undefined): string[] {
  return [
    `  serial console  ${serialLog} (kubenet console ${vm} attaches to it)`,
    ...(sshPort === undefined ? [] : [`  log in          kubenet ssh ${vm}   (127.0.0.1:${sshPort} → the guest's port 22)`]),
    '  see it          kubenet status',
    `  stop it         kubenet stop ${vm}`,
  ];
}

// The VMs of the step that do not run yet. Those that run are said so (with what differs, if this
// run would start them otherwise); a foreground --until would shut down VMs it did not start:
// refused, before anything starts.
export async function notRunning(env: RunEnv, contexts: readonly TaskContext[], step: Step, boot: BootOptions): Promise<TaskContext[]> {
  const task = contexts[0]!.task;
  const rest: TaskContext[] = [];
  const up: string[] = [];
  for (const ctx of contexts) {
    const vm = ctx.vm!;
    const running = await runningVm(env.paths, vm);
    if (!running) {
      rest.push(ctx);
      continue;
    }
    if (boot.until !== undefined && !boot.detach) {
      const { alreadyRunning } = await import('../vm/vm-lock.js');
      throw alreadyRunning(vm, running.pid, running.record);
    }
    const guide = step.boot!(ctx).command;
    const changes = startDifferences(running.record, [guide.exe, ...guide.args], currentInstanceId(env.paths, vm));
    if (changes.length) env.reporter.note(task, `warning: ${vm} runs already (pid ${running.pid}) and was left as it is, though ${changes.join('; ')}; to apply it: kubenet stop ${vm}, then run this again`);
    up.push(vm);
  }
  if (up.length) {
    const all = up.length === contexts.length;
    env.reporter.note(task, `${all ? `all ${up.length} VMs are up already` : `up already: ${up.join(', ')}`}${all ? ': nothing to start' : `; starting the other ${rest.length}`} (kubenet status shows them; kubenet ssh <vm> logs in)`);
  }
  return rest;
}
