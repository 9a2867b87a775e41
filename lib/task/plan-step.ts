// A step's commands recorded without running anything: what explain prints, what the guide map
// and the golden tests compare with the guide. The step's own make and boot run against effects
// that only write down what they are asked to do.
import type { Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import { suggestions } from '../suggestions.js';
import type { GuestArch, HostOs, QemuFacts } from '../host/types.js';
import { makePaths, vmDirName, vmFileName } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { seedDifferences } from '../cloud-init/seed-diff.js';
import { createContext, type Effects } from './context.js';
import type { Download, Machine, PlanContext, Step, StepPlan, Task } from './types.js';

export interface PlanInput {
  arch: GuestArch;
  hostOs: HostOs;
  facts: Pick<QemuFacts, 'accel' | 'firmware'> | undefined;
  settings?: Partial<Settings>;
  downloads?: (name: string) => Promise<Download | undefined>;
  vms?: readonly string[]; // a step with vms: only these (names or ids); default all
  fileOf?: (download: Download) => string; // a download's name on this side (default: the guide's)
}

// The guide's seed command (step 11): kubenet writes the ISO itself, but shows what the guide runs.
export const mkisofsLine = (dir: string, iso: string, networkConfig = false): Command => ({
  exe: 'mkisofs',
  args: [
    '-output',
    iso,
    '-volid',
    'cidata',
    '-joliet',
    '-rock',
    `${dir}/user-data`,
    `${dir}/meta-data`,
    ...(networkConfig ? [`${dir}/network-config`] : []),
  ],
});

// The guide's copy to a VM (deployauth.sh), run where the files are: kubenet copies over its own
// ssh instead, to the VM's address, only what differs there.
export const guideScp = (vm: string, files: readonly string[]): Command => ({
  exe: 'scp',
  args: [...files, `ubuntu@${vm}:~`],
});

// The machines a step is done for, narrowed to those named (by name or id) — in the step's order.
export function machinesOf(step: Step, plan: PlanContext, only?: readonly string[]): (Machine | undefined)[] {
  if (!step.vms) return [undefined];
  const all = step.vms(plan);
  if (!only?.length) return [...all];
  const picked = all.filter((m) => only.includes(m.name) || (m.id !== undefined && only.includes(String(m.id))));
  const unknown = only.filter((w) => !all.some((m) => m.name === w || String(m.id) === w));
  if (unknown.length) {
    const near = unknown.flatMap((w) =>
      suggestions(
        w,
        all.map((m) => m.name),
      ),
    );
    throw new KubenetError(
      `no VM ${unknown.join(', ')} in step ` +
        `${step.name}${near.length ? ` (did you mean ${[...new Set(near)].join(' or ')}?)` : ''}`,
      {
        code: ExitCode.usage,
        hint: `its VMs: ${all.map((m) => (m.id === undefined ? m.name : `${m.name} (${m.id})`)).join(', ')}`,
      },
    );
  }
  return picked;
}

export async function planStep(task: Task, step: Step, input: PlanInput): Promise<StepPlan> {
  const plan: StepPlan = { commands: [], notes: [], files: [], boots: [] };
  const fileOf = input.fileOf ?? ((d: Download) => d.file(input.arch));
  const effects: Effects = {
    // A check finds nothing set up: the plan shows every command, as the guide lists them.
    run: async (command, flags) =>
      flags.check
        ? { stdout: '', stderr: '', exitCode: 1 }
        : (plan.commands.push(command), { stdout: '', stderr: '', exitCode: 0 }),
    once: async (_file, command) => (plan.commands.push(command), 'created'),
    root: async (reason, commands) => {
      plan.commands.push(...commands);
      plan.notes.push(`as root, with your consent: ${reason}`);
    },
    writeFile: async (file, text) => (plan.notes.push(`kubenet writes ${file}`), plan.files.push({ file, text }), true),
    generate: async (request, commands) => {
      plan.commands.push(...commands);
      const how =
        `kubenet runs these in a private folder with copies of their inputs from images/${request.dir}, and ` +
        `puts each file they make in place whole (private keys 0600); a file is made again only when an input ` +
        `or the command changed${request.once ? ` — ${request.what} never again (only kubenet reset)` : ''}`;
      if (!plan.notes.includes(how)) plan.notes.push(how);
      return 'made';
    },
    mergeKubeconfig: async (_merge, commands) => {
      plan.commands.push(...commands);
      plan.notes.push(
        'kubenet runs these on a copy of ~/.kube/config, only with --yes or your yes at the prompt; the ' +
          "copy replaces it only if nothing but the guide's entries changed, the old file kept beside it",
      );
      return { result: 'merged', path: '~/.kube/config' };
    },
    copyToVm: async (vm, dir, files) => {
      plan.commands.push(guideScp(vm.name, files));
      const how =
        `kubenet runs each scp in images/${dir}, logged in as kubenet ssh is (the ` +
        `VM's address, the key its seed authorised, its own known_hosts), after ` +
        `one ssh that compares digests: only files that differ on the VM are copied`;
      if (!plan.notes.includes(how)) plan.notes.push(how);
      return { copied: [...files], modeSet: [], unchanged: [] };
    },
    readFile: async () => undefined,
    removeFile: async (file) => void plan.notes.push(`kubenet removes ${file}`),
    filesFor: async () => undefined,
    sshPublicKey: async () => 'ssh-ed25519 AAAA…(your key)',
    background: async (command) => (plan.commands.push(command), { stop: async () => undefined }),
    sshSetup: async () => undefined,
    seed: async ({ dir = 'cloud-init', hostname, userData, networkConfig }) => {
      const iso = dir === 'cloud-init' ? 'cidata.iso' : `${dir}/cidata.iso`;
      plan.commands.push(mkisofsLine(dir, iso, networkConfig !== undefined));
      plan.notes.push(
        `kubenet writes ${dir}/user-data, ` +
          `${dir}/meta-data${networkConfig === undefined ? '' : `, ${dir}/network-config`} ` +
          `and ${iso} itself (no mkisofs needed); the line above is what the guide runs`,
      );
      // the guide's own user-data, as kubenet writes it
      if (userData === undefined) plan.notes.push('', ...seedDifferences(hostname, dir));
      return { instanceId: hostname, iso };
    },
    download: async (d) => ({ name: d.name, file: fileOf(d), path: fileOf(d), sha256: '', url: d.url(input.arch) }),
    fileOf: (d) => fileOf(d),
    findHost: async () => {
      throw new Error('a plan never detects the host');
    },
    vmInfo: async (vm) => ({ name: vm, dir: vmDirName(vm), serialLog: vmFileName(vm, 'serial.log'), running: false }),
    note: (line) => void plan.notes.push(line),
    detail: (line) => void plan.notes.push(line),
    progress: () => undefined,
    digest: () => undefined,
  };
  const settings: Settings = { images: '/images', offline: true, verbose: false, sources: {}, ...input.settings };
  const paths = makePaths('/images');
  for (const machine of machinesOf(step, { settings, paths, arch: input.arch }, input.vms)) {
    const ctx = createContext({
      task,
      step,
      ...(machine ? { machine } : {}),
      settings,
      paths,
      arch: input.arch,
      hostOs: input.hostOs,
      facts: input.facts as QemuFacts | undefined,
      dryRun: true,
      signal: new AbortController().signal,
      effects,
      downloads: input.downloads ?? (async () => undefined),
    });
    await step.make?.(ctx);
    if (step.boot) plan.boots.push(step.boot(ctx).command);
  }
  if (plan.boots[0]) plan.boot = plan.boots[0];
  return plan;
}
