// Who started a VM's QEMU and how, kept beside its pid file (vm/<name>/run.json): a foreground
// kubenet shows its console somewhere and stops QEMU when it ends; a detached QEMU has no kubenet
// minding it. The advice for stopping it and `kubenet status` read it.
import { readJson, writeJson } from '../fs/json-file.js';
import type { Paths } from '../paths.js';

export type VmConsole = 'terminal' | 'window' | 'headless';

export interface RunRecord {
  kubenet: number; // the pid of the kubenet that started QEMU
  detached: boolean; // --detach: that kubenet hands QEMU off and exits once the VM is up
  console: VmConsole; // where a foreground run shows the console (a detached VM's is headless)
  startedAt: string; // when QEMU started, ISO 8601
  guide?: string[]; // the step's command as the guide has it (exe and args), before kubenet's changes
  instanceId?: string; // the seed's instance-id it booted with, when kubenet wrote it one
}

export async function writeRunRecord(paths: Paths, vm: string, record: RunRecord): Promise<void> {
  await writeJson(paths.vmFile(vm, 'run.json'), record, { root: paths.root });
}

// The record, or undefined when there is none (a kubenet killed between writing the pid file and
// this) or it is not one writeRunRecord wrote; a link in its place is refused, never read through.
export async function readRunRecord(paths: Paths, vm: string): Promise<RunRecord | undefined> {
  const record = readJson<Partial<RunRecord>>(paths.vmFile(vm, 'run.json'), { own: `${vm}'s run record` });
  if (
    typeof record?.kubenet !== 'number' ||
    typeof record.detached !== 'boolean' ||
    typeof record.startedAt !== 'string'
  )
    return undefined;
  if (record.console !== 'terminal' && record.console !== 'window' && record.console !== 'headless') return undefined;
  return {
    kubenet: record.kubenet,
    detached: record.detached,
    console: record.console,
    startedAt: record.startedAt,
    ...(Array.isArray(record.guide) && record.guide.every((w) => typeof w === 'string') ? { guide: record.guide } : {}),
    ...(typeof record.instanceId === 'string' ? { instanceId: record.instanceId } : {}),
  };
}
