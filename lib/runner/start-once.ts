// Starting a VM that runs already is nothing to do, as `limactl start` says — said before any
// command is printed — unless this run would start it otherwise (another seed, another command):
// then what differs is said, with how to apply it; a VM is never restarted behind the user's
// back. A foreground --until would shut down a VM it did not start: refused. run.json keeps what
// a start was (the guide's command, the seed's instance-id) for the next one to compare with.
import type { Command } from '../command.js';
import type { Paths } from '../paths.js';
import { recordedSshPort } from '../ssh/ssh-port.js';
import { currentInstanceId, runningVm, startDifferences } from '../vm/already-up.js';
import { howItRuns } from '../vm/stop-advice.js';
import { alreadyRunning } from '../vm/vm-lock.js';
import type { BootOptions } from './boot-options.js';
import type { RunEnv } from './run-env.js';

// What run.json keeps of a start, for a second start to compare with: the guide's command and the
// seed's instance-id.
export interface StartRecord {
  guide: string[];
  instanceId?: string;
}

export function startRecord(paths: Paths, vm: string, guide: Command): StartRecord {
  const instanceId = currentInstanceId(paths, vm);
  return { guide: [guide.exe, ...guide.args], ...(instanceId === undefined ? {} : { instanceId }) };
}

// The VMs of a boot that do not run yet, in order. Of each that runs, what differs from this
// run's start is said, with how to apply it; one VM alone is said to be up, with how to reach it;
// several are summed up in a line. A foreground --until would shut down VMs it did not start:
// refused (exit 30), before anything starts.
type Candidate = { vm: string; guide: Command };
export async function notRunning<T extends Candidate>(
  env: RunEnv,
  task: string,
  all: readonly T[],
  boot: BootOptions,
): Promise<T[]> {
  const say = (line: string) => env.reporter.note(task, line);
  const rest: T[] = [];
  const up: string[] = [];
  for (const one of all) {
    const { vm, guide } = one;
    const running = await runningVm(env.paths, vm);
    if (!running) {
      rest.push(one);
      continue;
    }
    if (boot.until !== undefined && !boot.detach) throw alreadyRunning(vm, running.pid, running.record);
    const changes = startDifferences(running.record, [guide.exe, ...guide.args], currentInstanceId(env.paths, vm));
    if (changes.length) {
      say(`warning: ${vm} runs already (pid ${running.pid}) and was left as it is, though ${changes.join('; ')}`);
      say(`to apply it: kubenet stop ${vm}, then run this again`);
    } else if (all.length === 1) {
      say(`${vm} is up already (pid ${running.pid}, ${howItRuns(running.record)}): nothing to start`);
    }
    up.push(vm);
  }
  if (up.length === 0) return rest;
  if (all.length === 1) {
    const [vm] = up as [string];
    for (const line of reachLines(vm, env.paths.vmFile(vm, 'serial.log'), recordedSshPort(env.paths, vm))) say(line);
  } else {
    const which =
      up.length === all.length
        ? `all ${up.length} VMs are up already: nothing to start`
        : `up already: ${up.join(', ')}; starting the other ${rest.length}`;
    say(`${which} (kubenet status shows them; kubenet ssh <vm> logs in)`);
  }
  return rest;
}

// How to reach a VM that runs: its console, ssh, status and stop.
export function reachLines(vm: string, serialLog: string, sshPort: number | undefined): string[] {
  return [
    `  serial console  ${serialLog} (kubenet console ${vm} attaches to it)`,
    ...(sshPort === undefined
      ? []
      : [`  log in          kubenet ssh ${vm}   (127.0.0.1:${sshPort} → the guest's port 22)`]),
    '  see it          kubenet status',
    `  stop it         kubenet stop ${vm}`,
  ];
}
