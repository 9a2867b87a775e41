// A VM asked to start that runs already: as with `limactl start`, there is nothing to do — unless
// it runs with another seed or another command than this run would start it with. Then what
// differs is said, with how to apply it (a VM is never restarted behind the user's back).
import { readFileSync } from 'node:fs';
import type { Paths } from '../paths.js';
import { groupArgs } from '../qemu/qemu-args.js';
import { readRunRecord, type RunRecord } from './run-record.js';
import { vmStatus } from './vm-status.js';

export interface RunningVm {
  pid: number;
  record: RunRecord | undefined;
}

export async function runningVm(paths: Paths, vm: string): Promise<RunningVm | undefined> {
  const status = await vmStatus(paths, vm);
  if (!status.running || status.pid === undefined) return undefined;
  return { pid: status.pid, record: await readRunRecord(paths, vm) };
}

// The seed's instance-id kubenet last wrote for the VM (its next boot's), if any.
export function currentInstanceId(paths: Paths, vm: string): string | undefined {
  try {
    return readFileSync(paths.vmFile(vm, 'instance-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

// What this run would start differently from what runs: nothing, or one line per difference.
export function startDifferences(
  record: RunRecord | undefined,
  guide: readonly string[],
  instanceId: string | undefined,
): string[] {
  const said: string[] = [];
  if (record?.instanceId !== undefined && instanceId !== undefined && record.instanceId !== instanceId) {
    said.push(
      `its cloud-init seed changed (instance ${record.instanceId} ` +
        `→ ${instanceId}): the guest reads it at its next boot`,
    );
  }
  if (record?.guide !== undefined) {
    const words = (argv: readonly string[]) => groupArgs(argv.slice(1)).map((o) => o.join(' '));
    const before = words(record.guide);
    const now = words(guide);
    const gone = before.filter((o) => !now.includes(o));
    const added = now.filter((o) => !before.includes(o));
    if (record.guide[0] !== guide[0]) said.push(`its QEMU changed: ${record.guide[0]} → ${guide[0]}`);
    if (gone.length || added.length)
      said.push(
        `its command changed: ` +
          `${[...gone.map((o) => `${o} (runs with)`), ...added.map((o) => `${o} (would start with)`)].join(', ')}`,
      );
  }
  return said;
}
