// Step 9: ubuntu0.img, a copy-on-write overlay backed by the downloaded cloud image. It holds
// the VM's state, so it persists across runs; it is made once with the guide's command and
// remembers which image (by digest) it was made from. When a newer image has been downloaded
// since, the overlay is moved onto the pinned copy of its own image (a header-only rebase)
// and keeps booting what it was made from.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { guideHostCommands } from '../guide/host-commands.js';
import type { StepInput } from '../guide/step-input.js';
import { guideFileNames } from '../guide/guide-files.js';
import type { TaskContext } from '../task.js';
import { createQcow2Once } from './create-qcow2.js';

export interface OverlayBase {
  arch: string;
  sha256: string; // the cloud image the overlay was made from
  backing: string; // the backing file name written in the overlay, relative to images/
}

export async function ensureOverlay(ctx: TaskContext, input: StepInput, cloudSha: string | undefined): Promise<void> {
  const { paths, profile } = ctx;
  const names = guideFileNames(profile.guestArch);
  const vm = 'ubuntu0';
  const baseFile = paths.vmFile(vm, 'base.json');
  const [command] = guideHostCommands(9, input);
  if (existsSync(paths.disk(vm))) {
    const base = readBase(baseFile);
    if (base && base.arch !== profile.guestArch) {
      throw new KubenetError(`ubuntu0.img was made for ${base.arch} guests, not ${profile.guestArch}`, {
        code: ExitCode.usage,
        hint: `pass --arch ${base.arch}, or start over with: kubenet reset 03-cloud-image`,
      });
    }
    if (base && cloudSha && base.sha256 !== cloudSha && base.backing === names.cloudImage) {
      const pinned = relative(paths.root, paths.pinned(base.sha256, names.cloudImage));
      if (!existsSync(paths.pinned(base.sha256, names.cloudImage))) {
        throw new KubenetError(`ubuntu0.img was made from a cloud image (sha256 ${base.sha256.slice(0, 16)}…) that is no longer here`, {
          code: ExitCode.failure,
          hint: 'kubenet reset 03-cloud-image makes a new VM on the current image',
        });
      }
      await ctx.exec({ exe: 'qemu-img', args: ['rebase', '-u', '-F', 'qcow2', '-b', pinned, names.overlay] });
      if (!ctx.dryRun) await writeBase(baseFile, { ...base, backing: pinned });
    }
    if (base && cloudSha && base.sha256 !== cloudSha) {
      ctx.note(`ubuntu0.img keeps booting the cloud image it was made from (sha256 ${base.sha256.slice(0, 12)}…); kubenet reset 03-cloud-image moves the VM to the new one`);
    } else {
      ctx.detail('ubuntu0.img exists: kept (the VM keeps its state; kubenet reset 03-cloud-image starts over)');
    }
    return;
  }
  if ((await createQcow2Once(ctx, names.overlay, command!)) === 'created' && !ctx.dryRun) {
    await writeBase(baseFile, { arch: profile.guestArch, sha256: cloudSha ?? 'unknown', backing: names.cloudImage });
    ctx.note(`created ubuntu0.img backed by ${names.cloudImage}`);
  }
}

function readBase(path: string): OverlayBase | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as OverlayBase;
  } catch {
    return undefined;
  }
}

const writeBase = (path: string, base: OverlayBase) => writeFileAtomic(path, `${JSON.stringify(base, null, 2)}\n`);
