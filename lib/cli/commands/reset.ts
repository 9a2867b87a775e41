// `kubenet reset <task>`: the only way the disks a task makes, and its VMs' folders, are deleted.
import { existsSync } from 'node:fs';
import { removeOwn } from '../../fs/no-follow.js';
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../../errors.js';
import { forgetRecord } from '../../fingerprint/state.js';
import { isInteractive, createReporter } from '../../runner/reporter.js';
import { resolveTarget } from '../../runner/resolve-target.js';
import type { PlanContext, Task } from '../../task/types.js';
import type { CommandInput } from '../command-input.js';
import { confirm } from '../../runner/prompt.js';
import { closeSessions } from '../../runner/tmux-sessions.js';
import { runTaskReset } from '../../runner/reset-task.js';
import { prunePins } from '../../disk/prune-pins.js';
import { vmsOfTasks } from '../../runner/vm-files.js';
import { runningVm } from '../../vm/already-up.js';
import { stopAdvice } from '../../vm/stop-advice.js';

export async function reset(input: CommandInput<'reset'>): Promise<number> {
  const { line, options, graph, paths, profile, settings } = input;
  if (line.words.length !== 1)
    throw new KubenetError('reset takes exactly one task', {
      code: ExitCode.usage,
      hint: 'e.g. kubenet reset 03-cloud-image',
    });
  const target = await resolveTarget(graph, line.words[0]!, profile.guestArch, { prefer: 'task' });
  if (target.kind !== 'task' || target.step)
    throw new KubenetError(`reset takes a task, not ${line.words[0]}`, {
      code: ExitCode.usage,
      hint: 'e.g. kubenet reset 03-cloud-image (kubenet list shows the tasks)',
    });
  const { task } = target;
  const plan = { settings, paths, arch: profile.guestArch };
  const vms = [...new Set(task.steps.flatMap((s) => (s.vm ? [s.vm] : s.vms ? s.vms(plan).map((m) => m.name) : [])))];
  // A step done for several VMs keeps each one's files in a folder named after it (gateway/).
  const files = [
    ...task.steps.flatMap((s) => (s.makes ?? []).map((f) => join(paths.root, f))),
    ...task.steps.flatMap((s) => (s.vms && s.make ? s.vms(plan).map((m) => join(paths.root, m.name)) : [])),
  ];
  const doomed = [...files, ...vms.map((vm) => paths.vmDir(vm))].filter((p) => existsSync(p));
  // Every refusal before the first change: a VM of this task (or of one built on it) that runs,
  // then the question about the files.
  if (task.reset || doomed.length) await refuseUnderRunningVms(graph, task, plan);
  if (doomed.length) {
    process.stdout.write(`kubenet reset ${task.name} deletes:\n${doomed.map((p) => `  ${p}`).join('\n')}\n`);
    if (options.yes !== true) {
      if (!isInteractive() || !process.stdin.isTTY) {
        throw new KubenetError(
          `reset deletes ${doomed.length} file(s) only a reset may ` +
            `delete (a VM's state, the cluster's CA): nothing was changed`,
          { code: ExitCode.usage, hint: `pass --yes to confirm: kubenet reset ${task.name} --yes` },
        );
      }
      if (!(await confirm('Delete them?'))) {
        process.stdout.write('nothing deleted\n');
        return ExitCode.failure;
      }
    }
  }
  if (task.reset || doomed.length) {
    // The cluster's tmux sessions kubenet opened go with what they showed.
    for (const session of await closeSessions(paths)) process.stdout.write(`closed the tmux session ${session}\n`);
  }
  if (task.reset) {
    // What the task set up outside images/ goes first: it may read the files below (a pid file).
    const reporter = createReporter({ verbose: settings.verbose, interactive: isInteractive() });
    await runTaskReset({ task, settings, paths, profile, reporter, signal: new AbortController().signal });
  }
  if (doomed.length) {
    // a link in place of a folder above is refused, never deleted through
    for (const p of doomed) await removeOwn(paths.root, p, { recursive: true });
    for (const pin of await prunePins(paths)) process.stdout.write(`  removed ${pin}: no overlay reads it any more\n`);
  }
  await forgetRecord(paths.root, paths.taskState(task.name));
  process.stdout.write(`${task.name} reset: the next run starts it afresh\n`);
  return ExitCode.ok;
}

// A running VM of the task, or of any task that depends on it (its disk, or the network under it):
// the reset is refused before anything is undone or deleted.
async function refuseUnderRunningVms(graph: CommandInput['graph'], task: Task, plan: PlanContext): Promise<void> {
  const all = await graph.all();
  const dependsOn = (t: Task, seen = new Set<string>()): boolean =>
    t.deps.some(
      (d) => d === task.name || (!seen.has(d) && (seen.add(d), all.some((o) => o.name === d && dependsOn(o, seen)))),
    );
  for (const vm of vmsOfTasks([task, ...all.filter((t) => dependsOn(t))], plan)) {
    const up = await runningVm(plan.paths, vm);
    if (up) {
      throw new KubenetError(`${vm} is running (pid ${up.pid}): not resetting ${task.name}; nothing was changed`, {
        code: ExitCode.vm,
        hint:
          `shut the VM down first: poweroff in the guest, or ` +
          `${stopAdvice(vm, up.record)} (kubenet stop --all stops every VM)`,
      });
    }
  }
}
