// Steps 8 and 9: `qemu-img create`, once. An existing disk holds a user's installed system or a
// VM's state, so it is never recreated or truncated. qemu-img follows links, so the image is made
// where nothing can have been planted — a fresh private folder with an unpredictable name inside
// images/ — and hard-linked into place, which fails (instead of replacing) if the name exists,
// even when two runs race. A link at the disk's own name is refused, never written through.
import { link, mkdir, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, normalize, relative, resolve, sep } from 'node:path';
import type { Command } from '../command.js';
import { diskOf, noSpaceFor } from '../fs/disk-space.js';
import { isKubenetError } from '../errors.js';
import { ownDir, ownFile } from '../fs/no-follow.js';
import { sweepTemps, tempPathFor } from '../fs/temp-names.js';
import type { StepOps } from '../step-ops.js';

export type CreateResult = 'created' | 'kept';

// `guideCommand` is the guide's argv (file names relative to images/); its target is `file`.
export async function createQcow2Once(ctx: StepOps, file: string, guideCommand: Command): Promise<CreateResult> {
  const { paths } = ctx;
  const target = join(paths.root, file);
  const hint =
    `kubenet keeps ${file} in images/ itself; if the link points at your own disk, ` +
    `move that disk here under this name (mv it over the link), else remove the link`;
  if (await ownFile(target, hint)) {
    ctx.detail(`${file} exists: kept (only kubenet reset deletes it)`);
    return 'kept';
  }
  if (ctx.dryRun) {
    ctx.show(guideCommand);
    return 'created';
  }
  if (!guideCommand.args.includes(file)) throw new Error(`the command does not name ${file}`);
  await ownDir(paths.root, dirname(target)); // a VM's folder (gateway/disk.img) is kubenet's own
  await sweepTemps(target);
  const folder = tempPathFor(target);
  await mkdir(folder, { mode: 0o700 }); // fails if the name exists: nothing planted is used
  try {
    // qemu-img opens the backing file by its name relative to the new image's folder, and writes
    // the name as given. The image is made as deep in the private folder as that name climbs out
    // of (`../jammy….img` from gateway/: one level), and a link where the name leads inside the
    // private folder points at the real file in images/.
    const backing = guideCommand.args.includes('-b')
      ? guideCommand.args[guideCommand.args.indexOf('-b') + 1]
      : undefined;
    const climbs = backing
      ? normalize(backing)
          .split(sep)
          .filter((p) => p === '..').length
      : 0;
    const home = join(folder, ...Array.from({ length: climbs }, (_, i) => `d${i}`));
    await mkdir(home, { recursive: true });
    const made = join(home, basename(file));
    const args = guideCommand.args.map((a) => (a === file ? made : a));
    if (backing) {
      const real = resolve(dirname(target), backing);
      const inside = relative(paths.root, real);
      if (inside.startsWith('..') || normalize(backing).split(sep).slice(climbs).includes('..'))
        throw new Error(`backing file ${backing} must name a file in images/`);
      const at = resolve(home, backing);
      await mkdir(dirname(at), { recursive: true });
      await symlink(real, at);
    }
    if (ctx.verbose) ctx.show(guideCommand);
    await ctx.exec({ ...guideCommand, args }, { quiet: true }).catch(async (error: unknown) => {
      throw (await fullDisk(error, folder))
        ? await noSpaceFor(target, `the new disk ${file}`, { cause: error })
        : error;
    });
    await link(made, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      await ownFile(target, hint); // another run made it first: theirs is kept — if it is a disk
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return 'created';
}

// qemu-img failed for want of space: it says so in its words (strerror, in English unless the
// locale translates it), or the disk has next to nothing left.
async function fullDisk(error: unknown, folder: string): Promise<boolean> {
  if (
    isKubenetError(error) &&
    /No space left on device|Disk quota exceeded/i.test(`${error.details ?? ''}${error.message}`)
  )
    return true;
  return (await diskOf(folder)).free < 1 << 20;
}
