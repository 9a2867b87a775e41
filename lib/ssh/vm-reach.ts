// Where ssh reaches a VM and whether it answers, for `kubenet status`: its address (a cluster VM's
// on the bridge, or the port forwarded to it), whether its sshd answers (its banner, within 3 s),
// and, where kubenet can log in (its host keys are recorded), what cloud-init says. Each probe is
// bounded; a VM kubenet wrote no seed for (no key of kubenet's) gets none.
import { existsSync, readFileSync } from 'node:fs';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { namedVm, vmSshTarget } from './vm-target.js';
import { sshdBanner } from './sshd-banner.js';
import { readJson, writeJson } from '../fs/json-file.js';
import { readRunRecord } from '../vm/run-record.js';
import { sshArgv } from './ssh-target.js';
import { runProcess } from '../process/run-process.js';

export interface VmReach {
  address?: string; // host:port
  forwarded?: boolean; // 127.0.0.1:PORT → the guest's port 22
  sshd?: 'answers' | 'silent'; // only for a running VM
  cloudInit?: string; // `cloud-init status`: done, running, error, …
  cloudInitError?: string; // why there is none
}

// cloud-init's final states: once seen for a boot, kept (vm/<vm>/cloud-init.json, by QEMU's pid and
// start), so a later status need not log in (a Python program under emulation takes seconds).
const final = new Set(['done', 'error', 'disabled']);

export async function vmReach(paths: Paths, settings: Settings, vm: string, running: boolean): Promise<VmReach> {
  if (!existsSync(paths.vmFile(vm, 'instance-id'))) return {};
  const named = await namedVm(settings, vm);
  let target;
  try {
    target = vmSshTarget(paths, named, { planned: true });
  } catch {
    return {}; // no key yet, or a vmnet address not leased yet
  }
  const reach: VmReach = {
    address: `${target.host}:${target.port}`,
    forwarded: named.address === undefined && target.host === '127.0.0.1',
  };
  if (!running) return reach;
  if (!(await sshdBanner(target.host, target.port, 3000))) return { ...reach, sshd: 'silent' };
  reach.sshd = 'answers';
  if (!existsSync(target.knownHosts))
    return { ...reach, cloudInitError: 'its host keys are not recorded yet (kubenet ssh records them)' };
  const boot =
    `${readFileSync(paths.vmFile(vm, 'pid'), 'utf8').trim()} ` + `${(await readRunRecord(paths, vm))?.startedAt ?? ''}`;
  const seen = readJson<{ boot?: string; state?: string }>(paths.vmFile(vm, 'cloud-init.json'), {
    own: `${vm}'s cloud-init state`,
  });
  if (seen?.boot === boot && seen.state !== undefined) return { ...reach, cloudInit: seen.state };
  const status = sshArgv(target, ['cloud-init', 'status'], { batch: true, connectTimeout: 5 });
  const r = await runProcess('ssh', status, { timeoutMs: 15_000 });
  const state = /^status:\s*(\S+)/m.exec(r.stdout)?.[1];
  if (state && final.has(state))
    await writeJson(paths.vmFile(vm, 'cloud-init.json'), { boot, state }, { root: paths.root }).catch(() => undefined);
  if (state) return { ...reach, cloudInit: state };
  return {
    ...reach,
    cloudInitError: r.timedOut
      ? 'ssh did not answer within 15 s'
      : r.stderr.trim().split('\n').at(-1) || `ssh exited with ${r.exitCode}`,
  };
}
