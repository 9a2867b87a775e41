// The NoCloud seed's files, as data: the guide's user-data (password: ubuntu) plus what makes
// the VM usable by `kubenet ssh` at once, and meta-data whose instance-id is derived from the
// content, so a changed config is applied on the next boot (the guide's second remedy) and an
// unchanged one keeps the instance.
import { createHash } from 'node:crypto';

export interface SeedInput {
  hostname: string; // local-hostname, e.g. ubuntu0
  sshPublicKey?: string;
  userData?: string; // the user's own user-data, used as is
  networkConfig?: string; // NoCloud network-config (v2), when the VM's network is set up by the seed
}

export interface SeedContent {
  userData: string;
  metaData: string;
  networkConfig?: string;
  instanceId: string;
}

// The guide's user-data, word for word: what `kubenet explain --step 11` compares kubenet's with.
export const guideUserData = '#cloud-config\npassword: ubuntu\n';

// kubenet's user-data: the guide's, the password kept valid, and the key `kubenet ssh` uses.
// With `password:` alone cloud-init expires the password (the guide's forced change at the
// console), and OpenSSH then refuses every command run without a terminal, even with a valid
// key: `kubenet ssh -- CMD` and CI could not use the VM. lib/explain/seed-diff.ts says so.
export function seedUserData(sshPublicKey?: string): string {
  const lines = [guideUserData.trimEnd(), 'chpasswd: { expire: false }'];
  if (sshPublicKey) lines.push('ssh_authorized_keys:', `  - ${sshPublicKey.trim()}`);
  return `${lines.join('\n')}\n`;
}

export function seedContent({ hostname, sshPublicKey, userData, networkConfig }: SeedInput): SeedContent {
  const user = userData ?? seedUserData(sshPublicKey);
  // A seed without network-config hashes as it always did: existing VMs keep their instance-id.
  const hashed = networkConfig === undefined ? `${hostname}\0${user}` : `${hostname}\0${user}\0${networkConfig}`;
  const digest = createHash('sha256').update(hashed).digest('hex').slice(0, 12);
  const instanceId = `${hostname}-${digest}`;
  return {
    userData: user,
    metaData: `instance-id: ${instanceId}\nlocal-hostname: ${hostname}\n`,
    ...(networkConfig === undefined ? {} : { networkConfig }),
    instanceId,
  };
}
