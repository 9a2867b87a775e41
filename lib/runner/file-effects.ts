// A real run's effects on files under images/ (and --dry-run's, which say what would be written
// or removed instead): a disk made once, a file of kubenet's or a template the learner may edit
// written when its text changes, files read and removed as kubenet's own (never through a link),
// files commands make from files, and the files a program such as dnsmasq writes, checked first.
import { resolve } from 'node:path';
import type { StepOps } from '../step-ops.js';
import type { Effects } from '../task/context.js';
import type { RunEnv } from './run-env.js';
import { createQcow2Once } from '../disk/create-qcow2.js';
import { writeOwnFile, readOwnText } from '../fs/write-own-file.js';
import { removeOwn, ownFilesFor } from '../fs/no-follow.js';
import { generateFiles } from '../generate/generate-files.js';
import { checkKeptOverlay } from '../disk/kept-overlay.js';
import { writeTemplate } from '../generate/template-file.js';

type FileEffects = Pick<Effects, 'once' | 'writeFile' | 'removeFile' | 'filesFor' | 'readFile' | 'generate'>;

export function fileEffects(env: RunEnv, task: string, ops: StepOps): FileEffects {
  const { paths, reporter } = env;
  return {
    async once(file, command) {
      const made = await createQcow2Once(ops, file, command);
      if (made === 'kept') await checkKept(env, task, ops, file);
      return made;
    },
    async writeFile(file, text, { mode = 0o644, keep = false, template = false }) {
      if (env.dryRun) return wouldWrite(env, file, text, { keep, template });
      if (template) return writeTemplateFile(env, task, file, text, mode);
      const written = await writeOwnFile(paths.root, file, text, { mode, keep });
      if (written) reporter.detail(task, `wrote ${file}`);
      return written;
    },
    async removeFile(file) {
      if (env.dryRun) return reporter.print(`# kubenet removes ${file}`);
      await removeOwn(paths.root, resolve(paths.root, file)); // a link there goes, never what it points to
    },
    async filesFor(program, files) {
      if (env.dryRun) return;
      await ownFilesFor(
        paths.root,
        files.map((file) => resolve(paths.root, file)),
        program,
      );
    },
    async readFile(file) {
      return readOwnText(paths.root, file);
    },
    async generate(request, commands) {
      return generateFiles(ops, request, commands);
    },
  };
}

// A disk kept from before: still over a download this graph knows.
async function checkKept(env: RunEnv, task: string, ops: StepOps, file: string): Promise<void> {
  const arch = env.profile.guestArch;
  const files = ((await env.knownDownloads?.()) ?? []).map((d) => ({ file: (a: typeof arch) => d.file(a) }));
  await checkKeptOverlay(ops, file, { arch, files, task });
}

// --dry-run: whether a real run would write it (what a step decides on: a changed configuration),
// said as it would be.
type Would = { keep: boolean; template: boolean };
async function wouldWrite(env: RunEnv, file: string, text: string, { keep, template }: Would): Promise<boolean> {
  if (template) {
    env.reporter.print(`# kubenet writes ${file} (unless you edited it)`);
    return false;
  }
  const now = await readOwnText(env.paths.root, file).catch(() => undefined);
  const would = keep ? now === undefined : now !== text;
  if (would) env.reporter.print(`# kubenet writes ${file}${keep ? ' (only when missing)' : ''}`);
  return would;
}

// A template the learner may edit: said when kubenet's text for it changed, and when an edited
// one is kept although kubenet's text differs.
async function writeTemplateFile(env: RunEnv, task: string, file: string, text: string, mode: number) {
  const { reporter } = env;
  const log = (line: string) => reporter.detail(task, line);
  const result = await writeTemplate(env.paths, file, text, { mode, signal: env.signal, log });
  if (result === 'written') reporter.detail(task, `wrote ${file}`);
  if (result === 'updated') {
    const why = "kubenet's text for it changed (the cluster's topology, kubenet.yaml cluster:)";
    reporter.note(task, `${file} rewritten: ${why}`);
  }
  if (result === 'yours') {
    const kept = `${file} is yours (not what kubenet last wrote), so it is kept`;
    const differs = "it differs from kubenet's text for this cluster; remove it to get kubenet's";
    reporter.note(task, `warning: ${kept} — and ${differs}`);
  }
  return result === 'written' || result === 'updated';
}
