// Step 11's seed as the guide writes it and as kubenet writes it, line by line, with why each
// added line is there. Pure: the texts come from lib/cloud-init/seed-content.ts.
import { guideUserData, seedUserData } from './seed-content.js';

// Why kubenet adds a user-data line, by the line's key.
const why: Record<string, string> = {
  chpasswd:
    'with `password:` alone cloud-init expires the password, so the first ' +
    "login must change it (the guide's forced change at the console); " +
    ('OpenSSH then answers every command run without a terminal with ' +
      '"Password change required but no TTY available", even with a valid key. ') +
    'kubenet keeps the password (still ubuntu) valid, so `kubenet ssh -- CMD`, scripts and CI can use the VM at once',
  ssh_authorized_keys:
    'the key `kubenet ssh` logs in with: yours from ~/.ssh, else the one kubenet generated under images/ssh/',
};

const keyOf = (line: string) => /^([A-Za-z_]+):/.exec(line)?.[1];

// For a seed of the guide's own user-data: `hostname` is the VM's, `dir` where the files go.
export function seedDifferences(hostname = 'ubuntu0', dir = 'cloud-init'): string[] {
  const guide = new Set(guideUserData.trimEnd().split('\n'));
  const ours = seedUserData('<your public key>').trimEnd().split('\n');
  const lines = [
    "The seed kubenet writes differs from the guide's:",
    `  guide: ${dir}/user-data = ${guideUserData.trimEnd().split('\n').join(' / ')}`,
    `  here:  ${dir}/user-data = ${ours.map((line) => line.trim()).join(' / ')}`,
  ];
  for (const line of ours) {
    const key = keyOf(line);
    if (guide.has(line) || key === undefined) continue;
    lines.push(`         ${line} — ${why[key] ?? 'kubenet adds it'}`);
  }
  lines.push(
    `  guide: ${dir}/meta-data = instance-id: ${hostname}`,
    `  here:  ${dir}/meta-data = instance-id: ${hostname}-<digest of the seed> / local-hostname: ${hostname}`,
    '         the instance-id changes with the user-data, so a changed --user-data is applied ' +
      "on the next boot (the guide's second remedy, done for you); the hostname is the VM's name",
    '  Your own --user-data FILE is used as it is: add chpasswd: ' +
      '{ expire: false } to it to keep `kubenet ssh -- CMD` working.',
  );
  return lines;
}
