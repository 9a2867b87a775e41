// Files a command makes from files (the guide's `cfssl gencert … | cfssljson -bare admin`, its
// `kubectl config set-cluster … --kubeconfig=admin.kubeconfig`), made the way kubenet makes every
// file: where nothing can have been planted, and put in place whole.
//   - The commands run in a fresh private folder (0700, an unpredictable name) holding copies of
//     the inputs, read without following a link: what they read is what was hashed, and the files
//     they write (cfssljson and kubectl truncate and follow links) land only there.
//   - Each output is checked, given its mode (0600 for a secret) and fsynced, then renamed over
//     its name in the folder; a link there is refused, never written through.
//   - Made again only when an input or a command changed, or an output is not what was put there;
//     `once` outputs (the CA) are never made again once they are all there.
//   - A run killed at any point leaves the old files or the new, plus a temp folder a later run
//     sweeps; one killed while renaming left digests saying which files were its own (pending).
//   - A file at an output's name that kubenet did not put there (your own) is moved aside to
//     DIR/replaced/<time>/, never overwritten.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipelineOf, type Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import { syncDirectory } from '../fs/atomic-write.js';
import { openOwnFile, ownDir, ownFile, readOwn } from '../fs/no-follow.js';
import { sweepTemps, tempPathFor } from '../fs/temp-names.js';
import type { StepOps } from '../step-ops.js';
import { groupKey, readMadeRecords, withFolderLock, writeMadeRecords, type MadeGroup } from './made-records.js';

export interface GenerateRequest {
  dir: string; // the folder under images/ the inputs are in and the outputs go to (auth)
  from: readonly string[]; // files in dir the commands read
  makes: readonly string[]; // files the commands make, by the names they have in dir
  secret?: readonly string[]; // of makes: private (0600) — a key, or a file embedding one
  once?: boolean; // made once: kept whatever its inputs say later (only reset removes it)
  what: string; // how notes name it: "the CA", "admin.pem"
  remakeHint?: string; // a once group found half there: what to do
}

export type Generated = 'made' | 'remade' | 'kept';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export async function generateFiles(
  ops: StepOps,
  request: GenerateRequest,
  commands: readonly Command[],
): Promise<Generated> {
  const { paths } = ops;
  const dir = join(paths.root, request.dir);
  const key = groupKey(request.makes);
  const judge = async () => {
    const inputs = await readInputs(dir, request);
    const inputFiles = Object.fromEntries([...inputs].map(([f, data]) => [f, sha256(data)]));
    const digest = sha256(
      JSON.stringify({ inputFiles, commands: commands.map(pipelineOf).map((p) => p.map((c) => [c.exe, ...c.args])) }),
    );
    const records = readMadeRecords(paths, request.dir);
    const group = records.groups[key];
    const outputs = await outputDigests(dir, request);
    return {
      inputs,
      inputFiles,
      digest,
      records,
      group,
      outputs,
      verdict: verdict(request, digest, inputFiles, group, outputs),
    };
  };
  if (ops.dryRun) {
    const seen = await judge().catch(() => undefined); // inputs an earlier step would make are not there yet
    if (seen?.verdict.state === 'kept') return 'kept';
    for (const command of commands) ops.show(command);
    return 'made';
  }
  await ownDir(paths.root, dir);
  return withFolderLock(paths, request.dir, ops.signal, ops.detail, async () => {
    const seen = await judge();
    const { verdict: v } = seen;
    if (v.state === 'kept') {
      if (v.changed.length)
        ops.detail(
          `${request.what} kept: made once, only reset makes it anew (changed since: ${v.changed.join(', ')})`,
        );
      if (!seen.group || seen.group.pending || !sameRecord(seen.group.outputs, seen.outputs)) {
        seen.records.groups[key] = {
          inputs: seen.digest,
          inputFiles: seen.inputFiles,
          outputs: seen.outputs as Record<string, string>,
        };
        await writeMadeRecords(paths, request.dir, seen.records);
      }
      return 'kept';
    }
    if (v.state === 'half') {
      const named = (files: string[]) => files.map((f) => `${request.dir}/${f}`).join(', ');
      throw new KubenetError(
        `${named(v.missing)} ${v.missing.length === 1 ? 'is' : 'are'} missing while ${named(v.present)} ` +
          `${v.present.length === 1 ? 'is' : 'are'} there: not making ${request.what} anew`,
        {
          code: ExitCode.failure,
          hint:
            request.remakeHint ??
            `put the missing file back, or remove ${v.present.join(', ')} to have kubenet make them anew`,
        },
      );
    }
    if (v.changed.length) ops.detail(`${request.what}: made anew (${v.changed.join(', ')})`);
    if (request.once && v.state === 'first' && seen.group)
      ops.note(
        `${request.what} made before is gone (${request.makes.map((f) => `${request.dir}/${f}`).join(', ')}): ` +
          `making a new one — what the old one signed is made anew`,
      );
    await makeInPrivate(ops, dir, request, seen.inputs, commands, async (made) => {
      // Whatever stands at an output's name and is neither what kubenet put there nor its own
      // half-finished work is somebody's file: moved aside, never replaced.
      const ours = new Set(
        Object.entries({ ...seen.group?.outputs, ...seen.group?.pending }).map(([f, d]) => `${f}:${d}`),
      );
      const foreign = Object.entries(seen.outputs)
        .filter(([f, d]) => d !== undefined && !ours.has(`${f}:${d}`))
        .map(([f]) => f);
      seen.records.groups[key] = {
        inputs: seen.digest,
        inputFiles: seen.inputFiles,
        outputs: seen.group?.outputs ?? {},
        pending: made,
      };
      await writeMadeRecords(paths, request.dir, seen.records);
      if (foreign.length) await moveAside(ops, dir, request.dir, foreign);
    });
    seen.records.groups[key] = {
      inputs: seen.digest,
      inputFiles: seen.inputFiles,
      outputs: (await outputDigests(dir, request)) as Record<string, string>,
    };
    await writeMadeRecords(paths, request.dir, seen.records);
    return v.state === 'first' ? 'made' : 'remade';
  });
}

type Verdict =
  | { state: 'kept'; changed: string[] }
  | { state: 'half'; missing: string[]; present: string[] }
  | { state: 'first' | 'again'; changed: string[] };

function verdict(
  request: GenerateRequest,
  digest: string,
  inputFiles: Record<string, string>,
  group: MadeGroup | undefined,
  outputs: Record<string, string | undefined>,
): Verdict {
  const present = request.makes.filter((f) => outputs[f] !== undefined);
  const missing = request.makes.filter((f) => outputs[f] === undefined);
  const changed = group && group.inputs !== digest ? changedInputs(group.inputFiles, inputFiles) : [];
  if (request.once) {
    if (missing.length === 0) return { state: 'kept', changed };
    if (present.length === 0) return { state: 'first', changed: [] };
    // Its own unfinished work (killed while renaming) may be finished afresh; anything else may be
    // all that is left of a CA that signed a cluster.
    const pending = group?.pending;
    if (pending && present.every((f) => pending[f] === outputs[f]))
      return { state: 'again', changed: ['an earlier run was interrupted'] };
    return { state: 'half', missing, present };
  }
  if (present.length === 0) return { state: 'first', changed: [] };
  if (!group) return { state: 'again', changed: ['no record of how it was made'] };
  if (group.inputs !== digest) return { state: 'again', changed: changed.length ? changed : ['the command changed'] };
  const altered = request.makes.filter((f) => group.outputs[f] !== outputs[f]);
  if (altered.length)
    return { state: 'again', changed: altered.map((f) => `${f} ${outputs[f] === undefined ? 'missing' : 'changed'}`) };
  return { state: 'kept', changed: [] };
}

const changedInputs = (before: Record<string, string>, now: Record<string, string>) =>
  Object.keys({ ...before, ...now })
    .filter((f) => before[f] !== now[f])
    .map((f) => `${f} changed`);

const sameRecord = (a: Record<string, string>, b: Record<string, string | undefined>) =>
  Object.keys(b).every((f) => a[f] === b[f]) && Object.keys(a).length === Object.keys(b).length;

// The inputs' bytes, each from a plain file of kubenet's folder (a link there is refused).
async function readInputs(dir: string, request: GenerateRequest): Promise<Map<string, Buffer>> {
  const inputs = new Map<string, Buffer>();
  for (const file of request.from) {
    const data = await readOwn(join(dir, file));
    if (data === undefined) {
      throw new KubenetError(`${request.dir}/${file} is missing: ${request.what} is made from it`, {
        code: ExitCode.failure,
        hint: 'run the steps before this one first (kubenet run makes them), or put the file back',
      });
    }
    inputs.set(file, data);
  }
  return inputs;
}

async function outputDigests(dir: string, request: GenerateRequest): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const file of request.makes) {
    const data = await readOwn(join(dir, file));
    out[file] = data === undefined ? undefined : sha256(data);
  }
  return out;
}

// Runs the commands in a private folder beside the outputs, then puts each output in place.
// `placing` runs once everything is made and checked, before the first rename.
async function makeInPrivate(
  ops: StepOps,
  dir: string,
  request: GenerateRequest,
  inputs: Map<string, Buffer>,
  commands: readonly Command[],
  placing: (made: Record<string, string>) => Promise<void>,
): Promise<void> {
  const anchor = join(dir, request.makes[0]!);
  await sweepTemps(anchor);
  const folder = tempPathFor(anchor);
  await mkdir(folder, { mode: 0o700 }); // fails if the name exists: nothing planted is used
  try {
    for (const [file, data] of inputs) await writeFile(join(folder, file), data, { mode: 0o600, flag: 'wx' });
    for (const command of commands) await ops.exec(command, { cwd: folder, quiet: true });
    const made: Record<string, string> = {};
    for (const file of request.makes) {
      const handle = await openOwnFile(join(folder, file), constants.O_RDONLY).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        throw new KubenetError(`${commands.map((c) => pipelineOf(c).at(-1)!.exe).join(', ')} did not make ${file}`, {
          code: ExitCode.failure,
          hint: 'rerun with --verbose to see the commands and their output',
        });
      });
      try {
        const data = await handle.readFile();
        if (data.length === 0)
          throw new KubenetError(`${file} came out empty`, {
            code: ExitCode.failure,
            hint: 'rerun with --verbose to see the commands and their output',
          });
        await handle.chmod(request.secret?.includes(file) ? 0o600 : 0o644);
        await handle.sync();
        made[file] = sha256(data);
      } finally {
        await handle.close();
      }
    }
    await placing(made);
    for (const file of request.makes) {
      await ownFile(join(dir, file)); // a link (or folder) planted meanwhile is refused
      await rename(join(folder, file), join(dir, file));
    }
    await syncDirectory(dir);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function moveAside(ops: StepOps, dir: string, rel: string, files: string[]): Promise<void> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const aside = join(dir, 'replaced', stamp);
  await ownDir(ops.paths.root, aside); // folder by folder: a link planted at replaced/ is refused, never moved into
  await chmod(aside, 0o700);
  for (const file of files) await rename(join(dir, file), join(aside, file));
  ops.note(
    `kept what was at ${files.map((f) => `${rel}/${f}`).join(', ')} (not made by kubenet) in ${rel}/replaced/${stamp}/`,
  );
}
