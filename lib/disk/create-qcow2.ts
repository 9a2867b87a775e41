// Steps 8 and 9: `qemu-img create`, once. An existing disk holds a user's installed system or a
// VM's state, so it is never recreated or truncated: the image is made under a temporary name
// and hard-linked into place, which fails (instead of replacing) if the name already exists —
// even when two runs race.
import { existsSync } from 'node:fs';
import { link, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from '../command.js';
import type { StepOps } from '../task/ops.js';

export type CreateResult = 'created' | 'kept';

// `command` is the guide's argv (file names relative to images/); its target is `file`.
export async function createQcow2Once(ctx: StepOps, file: string, guideCommand: Command): Promise<CreateResult> {
  const { paths } = ctx;
  const target = join(paths.root, file);
  if (existsSync(target)) {
    ctx.detail(`${file} exists: kept (only kubenet reset deletes it)`);
    return 'kept';
  }
  if (ctx.dryRun) {
    ctx.show(guideCommand);
    return 'created';
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const tempName = join(dirname(file), basename(temp));
  const args = guideCommand.args.map((a) => (a === file ? tempName : a));
  if (!args.includes(tempName)) throw new Error(`the command does not name ${file}`);
  try {
    if (ctx.verbose) ctx.show(guideCommand);
    await ctx.exec({ ...guideCommand, args }, { quiet: true });
    await link(temp, target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return; // another run made it first: theirs is kept
      throw error;
    });
  } finally {
    await rm(temp, { force: true });
  }
  return 'created';
}
