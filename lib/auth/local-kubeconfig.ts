// The guide's setuplocalkubeconfig.sh: admin's cluster, user and context added to the host's own
// kubeconfig (~/.kube/config), which may hold other clusters. kubenet does it only when asked, and
// so that nothing else in the file can change:
//   - the guide's `kubectl config` commands run on a copy (KUBECONFIG names it) in a private
//     folder, with copies of the certificates they embed;
//   - the copy replaces the file only if every other cluster, user and context — and every other
//     setting — is as it was; the old file is kept beside it (config.before-kubenet-<time>);
//   - a rerun with the same certificates and a file as kubenet left it runs no kubectl.
import { createHash } from 'node:crypto';
import { copyFile, lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readOwn } from '../fs/no-follow.js';
import { sweepTemps, tempPathFor } from '../fs/temp-names.js';
import { readMadeRecords, withFolderLock, writeMadeRecords } from '../generate/made-records.js';
import type { StepOps } from '../step-ops.js';

export interface KubeconfigMerge {
  dir: string; // where the embedded files are (auth)
  from: readonly string[]; // ca.pem, admin.pem, admin-key.pem
  entries: { cluster: string; user: string; context: string }; // what the commands may change
  consent(): Promise<boolean>; // --yes, or a yes at the terminal
  home?: string;
}

export type MergeResult = 'merged' | 'same' | 'declined';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const recordKey = '~/.kube/config';

export const localKubeconfigPath = (home = process.env.HOME || homedir()) => join(home, '.kube', 'config');

export async function mergeKubeconfig(
  ops: StepOps,
  merge: KubeconfigMerge,
  commands: readonly Command[],
): Promise<{ result: MergeResult; path: string; backup?: string }> {
  const path = localKubeconfigPath(merge.home);
  const stats = await lstat(path).catch(() => undefined);
  if (stats && !stats.isFile()) {
    throw new KubenetError(
      `${path} is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a plain file'}: ` +
        `kubenet does not write through it`,
      {
        code: ExitCode.host,
        hint:
          `use the cluster without it (export KUBECONFIG=…/admin.kubeconfig), or merge ` +
          `by hand: KUBECONFIG=${path}:admin.kubeconfig kubectl config view --flatten`,
      },
    );
  }
  const dir = join(ops.paths.root, merge.dir);
  const inputs = new Map<string, Buffer>();
  for (const file of merge.from) {
    const data = await readOwn(join(dir, file));
    if (!data)
      throw new KubenetError(`${merge.dir}/${file} is missing`, {
        code: ExitCode.failure,
        hint: 'make it first: kubenet run 42-kubeconfigs',
      });
    inputs.set(file, data);
  }
  const before = stats ? await readFile(path) : undefined;
  const digest = sha256(
    JSON.stringify({
      inputs: [...inputs].map(([f, d]) => [f, sha256(d)]),
      commands: commands.map((c) => [c.exe, ...c.args]),
    }),
  );
  const recorded = readMadeRecords(ops.paths, merge.dir).groups[recordKey];
  if (before && recorded?.inputs === digest && recorded.outputs.config === sha256(before))
    return { result: 'same', path };
  if (ops.dryRun) {
    for (const command of commands) ops.show(command);
    return { result: 'merged', path };
  }
  if (!(await merge.consent())) return { result: 'declined', path };
  return withFolderLock(ops.paths, merge.dir, ops.signal, ops.detail, async () => {
    const anchor = join(dir, 'local-kubeconfig');
    await sweepTemps(anchor);
    const folder = tempPathFor(anchor);
    await mkdir(folder, { mode: 0o700 });
    try {
      for (const [file, data] of inputs) await writeFile(join(folder, file), data, { mode: 0o600, flag: 'wx' });
      const copy = join(folder, 'config');
      if (before) await writeFile(copy, before, { mode: 0o600, flag: 'wx' });
      for (const command of commands) await ops.exec(command, { cwd: folder, quiet: true, env: { KUBECONFIG: copy } });
      const after = await readFile(copy);
      onlyEntriesChanged(before?.toString('utf8') ?? '', after.toString('utf8'), merge.entries, path);
      const record = async () => {
        const records = readMadeRecords(ops.paths, merge.dir);
        records.groups[recordKey] = { inputs: digest, inputFiles: {}, outputs: { config: sha256(after) } };
        await writeMadeRecords(ops.paths, merge.dir, records);
      };
      if (before && sha256(before) === sha256(after)) {
        await record();
        return { result: 'same' as const, path };
      }
      let backup: string | undefined;
      if (before) {
        backup = `${path}.before-kubenet-${new Date()
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d+Z$/, 'Z')}`;
        await copyFile(path, backup, 1 /* COPYFILE_EXCL */);
      }
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFileAtomic(path, after, { root: dirname(path), mode: 0o600 }); // ~/.kube: the user's own folder
      await record();
      return { result: 'merged' as const, path, ...(backup ? { backup } : {}) };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
}

interface Named {
  name: string;
  [key: string]: unknown;
}

// Refuses a result in which anything but the named cluster, user and context (and the current
// context, which the guide's use-context sets) differs from the file as it was.
export function onlyEntriesChanged(
  before: string,
  after: string,
  entries: KubeconfigMerge['entries'],
  path: string,
): void {
  const read = (text: string) => (parse(text) ?? {}) as Record<string, unknown>;
  const a = read(before);
  const b = read(after);
  const others = (doc: Record<string, unknown>, list: string, own: string) =>
    canonical(
      ((doc[list] as Named[] | null) ?? []).filter((e) => e.name !== own).sort((x, y) => (x.name < y.name ? -1 : 1)),
    );
  // Every other setting the file had stays as it was (kubectl may add its defaults: kind, apiVersion, preferences).
  const rest = (doc: Record<string, unknown>) =>
    canonical(
      Object.keys(a)
        .filter((k) => !['clusters', 'users', 'contexts', 'current-context'].includes(k))
        .sort()
        .map((k) => [k, doc[k]]),
    );
  const changed = [
    others(a, 'clusters', entries.cluster) !== others(b, 'clusters', entries.cluster) ? 'other clusters' : '',
    others(a, 'users', entries.user) !== others(b, 'users', entries.user) ? 'other users' : '',
    others(a, 'contexts', entries.context) !== others(b, 'contexts', entries.context) ? 'other contexts' : '',
    rest(a) !== rest(b) ? 'other settings' : '',
  ].filter(Boolean);
  if (changed.length) {
    throw new KubenetError(
      `the guide's kubectl commands would change ${changed.join(', ')} in ${path}: left as it was`,
      {
        code: ExitCode.failure,
        hint:
          'look at the file with kubectl config view; kubenet changes only ' +
          'the cluster kubenet, the user admin and the context kubenet',
      },
    );
  }
}

// JSON with every mapping's keys in order: kubectl rewrites the file with its own key order.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
