// The NoCloud seed's files, as data: the guide's user-data (password: ubuntu) plus an SSH key,
// and meta-data whose instance-id is derived from the content, so a changed config is applied
// on the next boot (the guide's second remedy) and an unchanged one keeps the instance.
import { createHash } from 'node:crypto';

export interface SeedInput {
  hostname: string; // local-hostname, e.g. ubuntu0
  sshPublicKey?: string;
  userData?: string; // the user's own user-data, used as is
}

export interface SeedContent {
  userData: string;
  metaData: string;
  instanceId: string;
}

export function guideUserData(sshPublicKey?: string): string {
  const lines = ['#cloud-config', 'password: ubuntu'];
  if (sshPublicKey) lines.push('ssh_authorized_keys:', `  - ${sshPublicKey.trim()}`);
  return `${lines.join('\n')}\n`;
}

export function seedContent({ hostname, sshPublicKey, userData }: SeedInput): SeedContent {
  const user = userData ?? guideUserData(sshPublicKey);
  const digest = createHash('sha256').update(`${hostname}\0${user}`).digest('hex').slice(0, 12);
  const instanceId = `${hostname}-${digest}`;
  return { userData: user, metaData: `instance-id: ${instanceId}\nlocal-hostname: ${hostname}\n`, instanceId };
}
