// The SSH key the VM trusts: the user's own from ~/.ssh when there is one, else a key pair
// kubenet generates once under images/ssh/.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StepOps } from '../task/ops.js';

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
    if (existsSync(privateKey) && existsSync(pub)) return { privateKey, publicKey: readFileSync(pub, 'utf8').trim(), generated: false };
  }
  return undefined;
}

export async function ensureSshKey(ctx: StepOps, home = homedir()): Promise<SshKey | undefined> {
  const own = findUserKey(home);
  if (own) return own;
  const privateKey = ctx.paths.sshKey;
  if (!existsSync(privateKey)) {
    if (ctx.dryRun) {
      ctx.show({ exe: 'ssh-keygen', args: ['-t', 'ed25519', '-N', '', '-C', 'kubenet', '-f', privateKey] });
      return undefined;
    }
    await mkdir(dirname(privateKey), { recursive: true, mode: 0o700 });
    await ctx.exec({ exe: 'ssh-keygen', args: ['-q', '-t', 'ed25519', '-N', '', '-C', 'kubenet', '-f', privateKey] });
    ctx.note(`no key in ~/.ssh: generated ${privateKey}`);
  }
  return { privateKey, publicKey: readFileSync(`${privateKey}.pub`, 'utf8').trim(), generated: true };
}
