// Step 9: ubuntu0.img, a copy-on-write overlay backed by the downloaded cloud image. It holds
// the VM's state, so it persists across runs; it is made once with the guide's command. What it
// is backed by is read from its own header, whoever made it: the cloud image under the guide's
// name, or — once upstream published a new image — the pinned copy it was moved onto before the
// download replaced the old one (protect-backing.ts), which it keeps booting until a reset.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { ownFile } from '../fs/no-follow.js';
import { guideHostCommands } from '../guide/host-commands.js';
import type { StepInput } from '../guide/step-input.js';
import { guideFileNames } from '../guide/guide-files.js';
import type { GuestArch } from '../host/types.js';
import type { TaskContext } from '../task.js';
import { createQcow2Once } from './create-qcow2.js';
import { backingPath } from './find-overlays.js';
import { moveLegacyOverlay } from './legacy-base-record.js';
import { readQcow2Backing } from './qcow2-header.js';

const vm = 'ubuntu0';

export async function ensureOverlay(ctx: TaskContext, input: StepInput, cloudSha: string | undefined): Promise<void> {
  const { paths, profile } = ctx;
  const names = guideFileNames(profile.guestArch);
  const overlay = paths.disk(vm);
  const hint = 'kubenet keeps the overlay in images/ itself; if the link points at your own overlay, move it here under this name (mv it over the link), else remove the link';
  if (!(await ownFile(overlay, hint))) {
    const [command] = guideHostCommands(9, input);
    if ((await createQcow2Once(ctx, names.overlay, command!)) === 'created' && !ctx.dryRun) ctx.note(`created ubuntu0.img backed by ${names.cloudImage}`);
    return;
  }
  const header = await readQcow2Backing(overlay);
  if (!header?.backing) return ctx.detail('ubuntu0.img exists (a disk of its own, no backing file): kept');
  const madeFor = archOfCloudImage(header.backing);
  if (madeFor && madeFor !== profile.guestArch) {
    throw new KubenetError(`ubuntu0.img was made for ${madeFor} guests (backed by ${header.backing}), not ${profile.guestArch}`, {
      code: ExitCode.usage,
      hint: `pass --arch ${madeFor}, or start over with: kubenet reset 03-cloud-image`,
    });
  }
  if (await moveLegacyOverlay(ctx, header.backing, cloudSha)) return;
  const backing = backingPath(overlay, header.backing);
  if (!existsSync(backing)) {
    throw new KubenetError(`ubuntu0.img is backed by ${header.backing}, which is missing (${backing})`, {
      code: ExitCode.failure,
      hint: 'put that file back (the overlay holds only what the VM changed), or start over with: kubenet reset 03-cloud-image',
    });
  }
  if (backing === paths.artifact(names.cloudImage)) {
    return ctx.detail('ubuntu0.img exists: kept (the VM keeps its state; kubenet reset 03-cloud-image starts over)');
  }
  ctx.note(`ubuntu0.img keeps booting the image it was made from (${header.backing}); kubenet reset 03-cloud-image moves the VM to the current ${names.cloudImage}`);
}

// Which guest architecture a backing file is the guide's cloud image for (its name, or a pin of it).
function archOfCloudImage(backing: string): GuestArch | undefined {
  const name = basename(backing);
  return (['aarch64', 'x86_64'] as const).find((arch) => {
    const image = guideFileNames(arch).cloudImage;
    return name === image || name.endsWith(`-${image}`);
  });
}
