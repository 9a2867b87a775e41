// The SSH key the VM trusts: the user's own from ~/.ssh when there is one, else a key pair
// kubenet generates once under images/ssh/. ssh-keygen follows links, so the pair is made in a
// fresh private folder and that folder is renamed to images/ssh/ whole: a kill leaves no half
// pair, two runs at once keep one pair, and a link planted in images/ssh/ is refused by name.
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { ownDir, ownFile, readOwn } from '../fs/no-follow.js';
import { sweepTemps, tempPathFor } from '../fs/temp-names.js';
import type { StepOps } from '../step-ops.js';

export interface SshKey {
  privateKey: string;
  publicKey: string; // the .pub file's text
  generated: boolean;
}

const userKeys = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function findUserKey(home = homedir()): SshKey | undefined {
  for (const name of userKeys) {
    const privateKey = join(home, '.ssh', name);
    const pub = `${privateKey}.pub`;
    if (existsSync(privateKey) && existsSync(pub))
      return { privateKey, publicKey: readFileSync(pub, 'utf8').trim(), generated: false };
  }
  return undefined;
}

export async function ensureSshKey(ctx: StepOps, home = homedir()): Promise<SshKey | undefined> {
  const own = findUserKey(home);
  if (own) return own;
  const { paths } = ctx;
  const privateKey = paths.sshKey;
  const folder = dirname(privateKey);
  const keygen = (file: string) => ({
    exe: 'ssh-keygen',
    args: ['-q', '-t', 'ed25519', '-N', '', '-C', 'kubenet', '-f', file],
  });
  if (!(await existingPair(paths.root, privateKey))) {
    if (ctx.dryRun) {
      ctx.show(keygen(privateKey));
      return undefined;
    }
    await sweepTemps(folder);
    const fresh = tempPathFor(folder);
    await mkdir(fresh, { mode: 0o700 }); // fails if the name exists: nothing planted is used
    try {
      await ctx.exec(keygen(join(fresh, 'id_ed25519')));
      // Onto a missing or empty folder only: another run's finished pair is never replaced.
      await rename(fresh, folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
    if (!(await existingPair(paths.root, privateKey))) throw incompletePair(folder);
    ctx.note(`no key in ~/.ssh: generated ${privateKey}`);
  }
  const publicKey = (await readOwn(`${privateKey}.pub`))!.toString('utf8').trim();
  return { privateKey, publicKey, generated: true };
}

// Both halves, as kubenet's own files; one half alone is an error (kubenet never made that).
async function existingPair(root: string, privateKey: string): Promise<boolean> {
  const folder = dirname(privateKey);
  if (!(await lstat(folder).catch(() => undefined))) return false;
  await ownDir(root, folder); // exists: refused unless it is a real folder
  const halves = [await ownFile(privateKey), await ownFile(`${privateKey}.pub`)];
  if (halves.every(Boolean)) return true;
  if (halves.some(Boolean)) throw incompletePair(folder);
  return false;
}

const incompletePair = (folder: string) =>
  new KubenetError(`${folder} holds half a key pair (id_ed25519 and id_ed25519.pub belong together)`, {
    code: ExitCode.host,
    hint:
      `remove the folder (rm -r ${JSON.stringify(folder)}) and run again: ` +
      `kubenet generates a new pair (or put your own key in ~/.ssh)`,
  });
