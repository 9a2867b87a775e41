// `--detach`: the VMs of a boot are started in turn as in the foreground (start-in-turn.ts), each
// to outlive kubenet, and each counts as up once its firmware prints (or its console matches
// --until, or its readiness holds); then kubenet says how to reach them and exits. All or nothing:
// when one fails (or Ctrl-C), those still starting are stopped, and so are those up.
import { detachVm, type DetachedVm } from '../vm/detach-vm.js';
import { stopVm } from '../vm/stop-vm.js';
import type { BootPlan, BootVm } from './boot-plan.js';
import type { RunEnv } from './run-env.js';
import { reachLines } from './start-once.js';
import { bootFailure, startInTurn, vmRun } from './start-in-turn.js';

export async function detachVms(env: RunEnv, plan: BootPlan): Promise<void> {
  const { task, vms, several } = plan;
  const say = (line: string) => env.reporter.note(task, line);
  const up: BootVm[] = [];
  const { failure, aborted } = await startInTurn(env, plan, async (b, signal) => {
    if (!several) say(`console: none (detached); the serial console goes to ${b.controlled.serialLog}`);
    const vm = await detachVm({ ...vmRun(env, plan, b), timeoutMs: plan.boot.timeoutMs, signal });
    up.push(b);
    for (const line of upLines(plan, b, vm)) say(line);
  });
  if (failure !== undefined || aborted) {
    for (const b of up.reverse()) {
      say(`stopping ${b.vm}: the cluster is started whole or not at all`);
      await stopVm(env.paths, b.vm).catch(() => undefined);
    }
    throw bootFailure(plan, failure);
  }
  if (!several) return;
  const how =
    'kubenet ssh <vm> logs in, kubenet status shows them (and where ssh reaches them), ' +
    'kubenet stop --all stops them';
  say(`all ${vms.length} VMs run in the background: ${how}`);
}

// A VM that is up: one, with how to reach it; one of several, in a line.
function upLines(plan: BootPlan, { vm, ctx, controlled }: BootVm, up: DetachedVm): string[] {
  const after = `${(up.readyAfterMs / 1000).toFixed(1)} s`;
  const { serialLog, sshPort } = controlled;
  if (plan.several) {
    const ip = ctx.machine?.ip ? ` (${ctx.machine.ip})` : '';
    return [`${vm}${ip} is up after ${after}, pid ${up.pid}; its serial console goes to ${serialLog}`];
  }
  const line = `${vm} is up after ${after} (${up.seen}) and runs in the background, pid ${up.pid}:`;
  return [line, ...reachLines(vm, serialLog, sshPort)];
}
