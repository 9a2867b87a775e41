// Step 11: cloud-init/{user-data,meta-data} and the cidata.iso seed, written by kubenet itself
// (no mkisofs needed). Files are rewritten only when their content changes, always whole
// (atomic-write), and a link at one of their names is refused, neither read nor written through.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ownDir, readOwn } from '../fs/no-follow.js';
import { buildIso } from '../iso/index.js';
import type { TaskContext } from '../task.js';
import { seedContent, type SeedContent } from './seed-content.js';

async function writeIfChanged(path: string, data: string | Buffer): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  if ((await readOwn(path))?.equals(bytes)) return false;
  await writeFileAtomic(path, bytes);
  return true;
}

export async function writeSeed(ctx: TaskContext, input: { hostname: string; sshPublicKey?: string; userDataFile?: string }): Promise<SeedContent> {
  const userData = input.userDataFile ? readFileSync(input.userDataFile, 'utf8') : undefined;
  const seed = seedContent({ hostname: input.hostname, sshPublicKey: input.sshPublicKey, userData });
  const { paths } = ctx;
  if (ctx.dryRun) {
    ctx.show('# kubenet writes cloud-init/user-data, cloud-init/meta-data and cidata.iso itself (the guide: mkisofs -output cidata.iso -volid cidata -joliet -rock cloud-init/{user-data,meta-data})');
    return seed;
  }
  await ownDir(paths.root, dirname(paths.cloudInit('user-data')));
  await writeIfChanged(paths.cloudInit('user-data'), seed.userData);
  await writeIfChanged(paths.cloudInit('meta-data'), seed.metaData);
  const files = [
    { name: 'user-data', data: seed.userData },
    { name: 'meta-data', data: seed.metaData },
  ];
  if (await writeIfChanged(paths.seed, buildIso(files, { volumeId: 'cidata' }))) {
    ctx.note(`wrote cidata.iso (instance-id ${seed.instanceId})`);
  }
  return seed;
}
