// What the guide sandbox wrote down (guide-sandbox.sh's NUL-separated fields), read back: one
// run per block — the commands in the order they ran, a command that read the output of the one
// before it marked as piped, and the files cat wrote, found by their inode in the sandbox's folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Recorded {
  argv: string[];
  input?: string;
  piped?: true; // it read the output of the command written down before it
}

export interface Written {
  name: string; // from the folder the shell was in
  text: string; // as it is when the shell has ended
}

export interface BlockRun {
  commands: Recorded[];
  files: Written[];
}

export function readRecord(text: string, root: string): BlockRun[] {
  const fields = text.split('\0');
  const runs: BlockRun[] = [];
  const written: { run: BlockRun; inode: number; folder: string }[] = [];
  let previousOut = ''; // the pipe the command before wrote to
  for (let i = 0; i + 1 < fields.length; ) {
    const kind = fields[i++];
    if (kind === 'block') {
      runs.push({ commands: [], files: [] });
      previousOut = '';
    } else if (kind === 'file') {
      written.push({ run: runs.at(-1)!, inode: Number(fields[i]), folder: fields[i + 1]! });
      i += 2;
    } else {
      const n = Number(fields[i++]);
      const argv = fields.slice(i, i + n);
      const [input, from, to] = fields.slice(i + n, i + n + 3) as [string, string, string];
      i += n + 3;
      const piped = from !== '' && from === previousOut;
      runs.at(-1)!.commands.push({ argv, ...(input ? { input } : {}), ...(piped ? { piped: true as const } : {}) });
      previousOut = to;
    }
  }
  const paths = filesByInode(root);
  for (const { run, inode, folder } of written) {
    const path = paths.get(inode);
    if (!path) throw new Error(`cat wrote a file that is no longer in the sandbox (inode ${inode})`);
    const name = relative(folder, path);
    if (!run.files.some((f) => f.name === name)) run.files.push({ name, text: readFileSync(path, 'utf8') });
  }
  return runs;
}

function filesByInode(dir: string, out = new Map<number, string>()): Map<number, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesByInode(path, out);
    else if (entry.isFile()) out.set(statSync(path).ino, path);
  }
  return out;
}

export const argvLine = (r: Recorded): string => r.argv.join(' ');

// A run's commands as pipelines: each an array of argv, a piped command joining the pipeline of
// the one before it.
export function pipelines(commands: readonly Recorded[]): string[][][] {
  const out: string[][][] = [];
  for (const c of commands) {
    if (c.piped && out.length) out.at(-1)!.push(c.argv);
    else out.push([c.argv]);
  }
  return out;
}
