// Step 11: cloud-init/{user-data,meta-data} and the cidata.iso seed, written by kubenet itself
// (no mkisofs needed). Files are rewritten only when their content changes, always whole
// (atomic-write), and a link at one of their names is refused, neither read nor written through.
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ownDir, readOwn } from '../fs/no-follow.js';
import { buildIso } from '../iso/index.js';
import { readUserData } from '../settings/user-data.js';
import type { StepOps } from '../step-ops.js';
import { seedContent, type SeedContent } from './seed-content.js';

async function writeIfChanged(root: string, path: string, data: string | Buffer): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  if ((await readOwn(path))?.equals(bytes)) return false;
  await writeFileAtomic(path, bytes, { root });
  return true;
}

export interface SeedFiles {
  hostname: string;
  sshPublicKey?: string;
  userData?: string; // the user-data text to use instead of the guide's
  userDataFile?: string; // … or a file holding it (--user-data)
  networkConfig?: string;
  // relative to images/: DIR/{user-data,meta-data[,network-config]} and the ISO; default the guide's cloud-init/ and
  // cidata.iso
  dir?: string;
}

// Where a seed's files go: the guide's cloud-init/ and cidata.iso, or a VM's own folder.
export const seedIsoOf = (dir = 'cloud-init'): string => (dir === 'cloud-init' ? 'cidata.iso' : `${dir}/cidata.iso`);

export async function writeSeed(ctx: StepOps, input: SeedFiles): Promise<SeedContent & { iso: string }> {
  const userData =
    input.userData ?? (input.userDataFile ? readUserData(input.userDataFile, input.userDataFile) : undefined);
  const seed = seedContent({
    hostname: input.hostname,
    sshPublicKey: input.sshPublicKey,
    userData,
    networkConfig: input.networkConfig,
  });
  const dir = input.dir ?? 'cloud-init';
  const iso = seedIsoOf(dir);
  const files = [
    { name: 'user-data', data: seed.userData },
    { name: 'meta-data', data: seed.metaData },
    ...(seed.networkConfig === undefined ? [] : [{ name: 'network-config', data: seed.networkConfig }]),
  ];
  if (ctx.dryRun) {
    ctx.show(
      `# kubenet writes ${files.map((f) => `${dir}/${f.name}`).join(', ')} ` +
        `and ${iso} itself (instance-id ${seed.instanceId}); the guide runs:`,
    );
    ctx.show({
      exe: 'mkisofs',
      args: ['-output', iso, '-volid', 'cidata', '-joliet', '-rock', ...files.map((f) => `${dir}/${f.name}`)],
    });
    return { ...seed, iso };
  }
  const root = ctx.paths.root;
  await ownDir(root, join(root, dir)); // the seed's folder is kubenet's own, never a link
  if (dirname(iso) !== '.') await ownDir(root, join(root, dirname(iso)));
  for (const f of files) await writeIfChanged(root, join(root, dir, f.name), f.data);
  if (await writeIfChanged(root, join(root, iso), buildIso(files, { volumeId: 'cidata' }))) {
    ctx.note(`wrote ${iso} (instance-id ${seed.instanceId})`);
  }
  return { ...seed, iso };
}
