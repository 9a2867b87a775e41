// A real run's effects that reach a VM (and --dry-run's, which say what would be done): its
// cloud-init seed with the key kubenet logs in with (its instance-id kept in the VM's folder),
// the guide's vmsshsetup.sh, files copied to it over kubenet's ssh, and what kubenet knows of it.
import { existsSync, readFileSync } from 'node:fs';
import { ensureSshKey, type SshKey } from '../cloud-init/ssh-key.js';
import type { Paths } from '../paths.js';
import { formatAny } from '../qemu/format-command.js';
import type { StepOps } from '../step-ops.js';
import type { Effects } from '../task/context.js';
import type { VmInfo } from '../task/types.js';
import type { RunEnv } from './run-env.js';
import { writeSeed } from '../cloud-init/write-seed.js';
import { sshSetup } from '../ssh/ssh-setup.js';
import { guideScp } from '../task/plan-step.js';
import { copyToVm } from '../ssh/copy-to-vm.js';
import { namedVm } from '../ssh/vm-target.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ownDir } from '../fs/no-follow.js';
import { vmStatus } from '../vm/vm-status.js';

type VmEffects = Pick<Effects, 'seed' | 'sshPublicKey' | 'sshSetup' | 'copyToVm' | 'vmInfo'>;

// `vm`: the VM of the running step; `onSeed`: told of each VM whose seed holds kubenet's key.
export type OnSeed = (vm: string, hostname: string) => void;
export function vmEffects(env: RunEnv, task: string, ops: StepOps, vm: string | undefined, onSeed?: OnSeed): VmEffects {
  const { paths, reporter } = env;
  return {
    async seed(request) {
      // The key goes into the guide's user-data; user-data given whole says itself what it trusts.
      const key = request.userData === undefined ? await publicKey(env, ops) : undefined;
      const seed = await writeSeed(ops, {
        ...request,
        ...(key ? { sshPublicKey: key.publicKey } : {}),
        ...(request.userData === undefined && env.settings.userData ? { userDataFile: env.settings.userData } : {}),
      });
      if (vm) {
        // The VM runs an sshd with this key (or the key its template names: the cluster's); its
        // host keys are recorded under this instance-id.
        if (key) onSeed?.(vm, request.hostname);
        if (!env.dryRun) await keepInstanceId(paths, vm, seed.instanceId);
      }
      return { instanceId: seed.instanceId, iso: seed.iso };
    },
    async sshPublicKey() {
      return (await publicKey(env, ops))?.publicKey ?? 'ssh-ed25519 AAAA…(generated on the real run)';
    },
    async sshSetup(name, address) {
      const at = address === undefined ? {} : { address };
      await sshSetup({ paths, vm: name, ...at, signal: env.signal, note: (line) => reporter.detail(task, line) });
    },
    async copyToVm(to, dir, files) {
      const { address } = await namedVm(env.settings, to.name); // none root-free: the forwarded port
      if (env.dryRun) {
        const over = address === undefined ? 'through the port forwarded to it' : `to ${address}`;
        const how = `in images/${dir}; kubenet copies over its ssh ${over}, only what differs there`;
        reporter.print(`${formatAny(guideScp(to.name, files))}    # ${how}`);
        return { copied: [...files], modeSet: [], unchanged: [] };
      }
      const at = address === undefined ? {} : { address };
      const detail = (line: string) => reporter.detail(task, line);
      return copyToVm(paths, to, dir, files, { signal: env.signal, detail, ...at });
    },
    vmInfo: (name) => vmInfo(paths, name),
  };
}

// The key a seed authorises, found (or generated) once per run, however many VMs ask.
const keys = new WeakMap<RunEnv, Promise<SshKey | undefined>>();
function publicKey(env: RunEnv, ops: StepOps): Promise<SshKey | undefined> {
  let key = keys.get(env);
  if (!key) {
    key = ensureSshKey(ops);
    keys.set(env, key);
  }
  return key;
}

// The seed's instance-id, in the VM's own folder: its host keys are known under it.
async function keepInstanceId(paths: Paths, vm: string, instanceId: string): Promise<void> {
  await ownDir(paths.root, paths.vmDir(vm));
  await writeFileAtomic(paths.vmFile(vm, 'instance-id'), `${instanceId}\n`, { root: paths.root });
}

export async function vmInfo(paths: Paths, vm: string): Promise<VmInfo> {
  const status = await vmStatus(paths, vm);
  const portFile = paths.vmFile(vm, 'ssh-port');
  const port = existsSync(portFile) ? Number.parseInt(readFileSync(portFile, 'utf8'), 10) : undefined;
  return {
    name: vm,
    dir: paths.vmDir(vm),
    serialLog: paths.vmFile(vm, 'serial.log'),
    running: status.running,
    ...(status.pid === undefined ? {} : { pid: status.pid }),
    ...(port === undefined || Number.isNaN(port) ? {} : { sshPort: port }),
  };
}
